"""The filters of the Open311 lists, read from a query string: W3C datetimes (a year, a month, a
day, or a moment with its zone; a moment without one is Vietnam time), `status` open or closed,
comma-separated service codes and request ids. Each mistake is named, with a message."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from workflows.cases.public_feed import MAX_ITEMS
from workflows.cases.tracking import normalize_tracking_code
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Errors, Problem
from workflows.reference.catalog import CATEGORIES, codes

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
MAX_DATETIME_CHARS = 40
_YEAR_OR_MONTH = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?$")
# "+07:00" arrives as " 07:00" when a client does not encode the "+" of a query string.
_UNENCODED_PLUS = re.compile(r" ([0-9]{2}:?[0-9]{2})$")
BAD_DATETIME = N_("Give a W3C datetime, e.g. 2026-11-01T08:00:00+07:00 or 2026-11-01.")


def _period_end(start: dt.datetime, year_or_month: re.Match[str] | None, text: str) -> dt.datetime:
    """The last moment of a year, a month or a day given without a time."""
    if year_or_month and year_or_month.group(2) is None:
        following = start.replace(year=start.year + 1)
    elif year_or_month:
        following = (start + dt.timedelta(days=32)).replace(day=1)
    elif len(text) == len("2026-11-01"):
        following = start + dt.timedelta(days=1)
    else:
        return start
    return following - dt.timedelta(microseconds=1)


def parse_w3c_datetime(typed: str, *, end: bool = False) -> dt.datetime | None:
    """The moment, in UTC (the database compares it as stored). `end`: a year, a month or a
    day stands for its last moment, so that end_date=2026-11-01 includes that day."""
    text = _UNENCODED_PLUS.sub(r"+\1", typed.strip())
    if not text or len(text) > MAX_DATETIME_CHARS or not text.isascii():
        return None
    year_or_month = _YEAR_OR_MONTH.match(text)
    try:
        if year_or_month:
            moment = dt.datetime(int(year_or_month.group(1)), int(year_or_month.group(2) or 1), 1)
        else:
            moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
        if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            return None
        if end:
            moment = _period_end(moment, year_or_month, text)
        local = moment.replace(tzinfo=VIETNAM) if moment.tzinfo is None else moment
        return local.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


@dataclass
class ListFilters:
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    tracking_codes: tuple[str, ...] = ()
    ids_asked: bool = False  # service_request_id was given (it overrides the other filters)
    categories: tuple[str, ...] = ()
    unknown_categories: bool = False
    is_open: bool | None = None
    errors: Errors = field(default_factory=dict)


def _items(typed: str) -> list[str]:
    return [item.strip() for item in typed.split(",") if item.strip()]


def _dates(query: Mapping[str, str], filters: ListFilters) -> None:
    for name in ("start_date", "end_date"):
        typed = query.get(name, "")
        if not typed.strip():
            continue
        moment = parse_w3c_datetime(typed, end=name == "end_date")
        if moment is None:
            filters.errors[name] = Problem(BAD_DATETIME)
        elif name == "start_date":
            filters.start = moment
        else:
            filters.end = moment
    if filters.start and filters.end and filters.start > filters.end:
        filters.errors["end_date"] = Problem(N_("end_date is before start_date."))


def _ids(query: Mapping[str, str], filters: ListFilters) -> None:
    typed = _items(query.get("service_request_id", ""))
    if len(typed) > MAX_ITEMS:
        filters.errors["service_request_id"] = Problem(
            N_("At most {limit} ids at once."), {"limit": MAX_ITEMS})
        return
    filters.ids_asked = bool(typed)
    # An id that cannot be a tracking code matches nothing.
    filters.tracking_codes = tuple(code for item in typed
                                   if (code := normalize_tracking_code(item)))


def read_filters(query: Mapping[str, str], *, with_status: bool = True) -> ListFilters:
    filters = ListFilters()
    _dates(query, filters)
    _ids(query, filters)
    categories = _items(query.get("service_code", ""))
    filters.categories = tuple(categories)
    filters.unknown_categories = bool(set(categories) - codes(CATEGORIES))
    statuses = {status.lower() for status in _items(query.get("status", ""))}
    if with_status and statuses - {"open", "closed"}:
        filters.errors["status"] = Problem(N_("Give open or closed."))
    elif len(statuses) == 1:
        filters.is_open = statuses == {"open"}
    return filters
