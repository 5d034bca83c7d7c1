"""What the Open311 feeds publish of many cases at once: the requests received in a window, and
the public updates made in one. Public fields only — never the description, the shop, the
street or anything about the reporter; the place as its commune or ward and a position rounded
to about a kilometre. Each answer is one or two queries, whatever its length."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workflows.cases.models import Case, CaseMessage, CaseUpdate
from workflows.cases.public_view import last_public_changes, public_notes, updated
from workflows.cases.states import CLOSED_STATES, OPEN_STATES
from workflows.reference.catalog import WITH_AUTHORITIES

MAX_ITEMS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
# Two decimals of a degree: 1.1 km north-south, about 1.1 km east-west here.
POSITION_DECIMALS = 2
_REQUEST_FIELDS = ("id", "tracking_code", "status", "category", "agency_code", "commune",
                   "latitude", "longitude", "created_at", "updated_at", "due_at",
                   "public_outcome", "duplicate_of_id", "sealed_at")


@dataclass(frozen=True)
class RequestQuery:
    """The spec's filters. Tracking codes, when given, override every other filter."""

    tracking_codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    is_open: bool | None = None
    limit: int = MAX_ITEMS


@dataclass(frozen=True)
class PublicRequest:
    tracking_code: str
    status: str
    category: str
    agency_code: str | None
    commune: str
    latitude: float | None
    longitude: float | None
    created_at: dt.datetime
    updated_at: dt.datetime
    due_at: dt.datetime | None
    notes: str  # the latest public text: the outcome once there is one, else the last reply

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATES


def window(start: dt.datetime | None, end: dt.datetime | None,
           now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The spec's default: the last 90 days, or 90 days either side of the one date given."""
    if start is None and end is None:
        end = now or dt.datetime.now(dt.UTC)
    if start is None:
        assert end is not None
        start = end - DEFAULT_WINDOW
    if end is None:
        end = start + DEFAULT_WINDOW
    return start, end


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, POSITION_DECIMALS)


async def _notes(rows: list[dict[str, Any]]) -> dict[int, str]:
    """Each case's status notes by the rule of the public page (public_view.public_notes):
    its outcome once settled — a duplicate's, that of the case it joined — else the agency's
    last reply. Two queries for the lot."""
    replies: dict[int, str] = {}
    for case_id, body in await CaseMessage.filter(
            case_id__in=[row["id"] for row in rows], author="agency").order_by(
            "created_at", "id").values_list("case_id", "body"):
        replies[case_id] = body
    joined_ids = {row["duplicate_of_id"] for row in rows if row["duplicate_of_id"]}
    joined = {row["id"]: row for row in await Case.filter(id__in=joined_ids).values(
        "id", "status", "public_outcome")} if joined_ids else {}
    notes = {}
    for row in rows:
        settled = joined.get(row["duplicate_of_id"], row)
        notes[row["id"]] = public_notes(settled["status"], settled["public_outcome"],
                                        replies.get(row["id"], ""))
    return notes


async def public_requests(query: RequestQuery) -> list[PublicRequest]:
    """Newest first, at most `query.limit`."""
    cases = Case.all()
    if query.tracking_codes:
        cases = cases.filter(tracking_code__in=query.tracking_codes)
    else:
        start, end = window(query.start, query.end)
        cases = cases.filter(created_at__gte=start, created_at__lte=end)
        if query.categories:
            cases = cases.filter(category__in=query.categories)
        if query.is_open is not None:
            cases = cases.filter(status__in=OPEN_STATES if query.is_open else CLOSED_STATES)
    rows: list[dict[str, Any]] = await cases.order_by("-created_at", "-id").limit(
        min(query.limit, MAX_ITEMS)).values(*_REQUEST_FIELDS)
    notes = await _notes(rows) if rows else {}
    changed = await last_public_changes([row["id"] for row in rows]) if rows else {}
    return [_public_request(row, notes[row["id"]], changed.get(row["id"])) for row in rows]


def _public_request(row: dict[str, Any], notes: str,
                    last_public: dt.datetime | None) -> PublicRequest:
    """One case as the feeds show it; one with the police (workflows.cases.sealing) names no
    agency, no date to expect and nothing said since the seal, until it is settled."""
    status, agency, due = row["status"], row["agency_code"], row["due_at"]
    updated_at = updated(row["updated_at"], last_public)
    if row["sealed_at"] is not None:
        # Nothing said since the seal: settled, only the outcome staff wrote for the public.
        agency, due, notes = None, None, public_notes(status, row["public_outcome"], "")
        if status not in CLOSED_STATES:
            status, updated_at = WITH_AUTHORITIES, row["sealed_at"]
    return PublicRequest(
        tracking_code=row["tracking_code"], status=status, category=row["category"],
        agency_code=agency, commune=row["commune"], latitude=_rounded(row["latitude"]),
        longitude=_rounded(row["longitude"]), created_at=row["created_at"], updated_at=updated_at,
        due_at=due, notes=notes)


@dataclass(frozen=True)
class UpdateQuery:
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    tracking_codes: tuple[str, ...] = ()
    limit: int = MAX_ITEMS


@dataclass(frozen=True)
class PublicUpdate:
    id: int
    tracking_code: str
    action: str
    status: str
    outcome: str
    description: str
    created_at: dt.datetime


async def public_updates(query: UpdateQuery) -> list[PublicUpdate]:
    """Oldest first, so that a client that got `limit` of them asks again from the last one's
    time; at most `query.limit`."""
    start, end = window(query.start, query.end)
    updates = CaseUpdate.filter(created_at__gte=start, created_at__lte=end)
    if query.tracking_codes:
        updates = updates.filter(case__tracking_code__in=query.tracking_codes)
    rows = await updates.order_by("created_at", "id").limit(min(query.limit, MAX_ITEMS)).values(
        "id", "case__tracking_code", "action", "status", "outcome", "description", "created_at")
    return [PublicUpdate(row["id"], row["case__tracking_code"], row["action"], row["status"],
                         row["outcome"], row["description"], row["created_at"]) for row in rows]
