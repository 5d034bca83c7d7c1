"""Due dates: working days to triage a case, and to resolve it per agency and category,
counted in Vietnam time.

Saturdays, Sundays and Vietnam's public holidays do not count. The holidays come from the
`holidays` package's Vietnam calendar (Tết and the Hùng Kings' day by the lunar calendar, the
days off the government swapped), so no year needs typing in; config/holidays.toml adds what it
lacks (extra days off) and the weekend days made working days in a swap. A case is due at the
end of its last working day (23:59:59 Asia/Ho_Chi_Minh), stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from workflows.i18n.formatting import VIETNAM
from workflows.reference.catalog import CATEGORY_CODES
from workflows.reference.tomlfile import TomlFile, read_toml

if TYPE_CHECKING:
    import holidays


@dataclass(frozen=True)
class AgencyLevels:
    """One agency's own resolution times; what it leaves out falls back to the general ones."""

    default_working_days: int | None = None
    working_days: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class HolidayCalendar:
    """Vietnam's days off: the maintained calendar, with the province's own additions."""

    extra_days_off: frozenset[dt.date] = frozenset()
    working_weekend_days: frozenset[dt.date] = frozenset()

    @cached_property
    def public(self) -> holidays.HolidayBase:
        """The maintained calendar, at the first day asked about: a command that counts no
        working days (an export, an account) skips its 20 ms of imports."""
        import holidays

        return holidays.country_holidays("VN")

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.extra_days_off and day not in self.public


@dataclass(frozen=True)
class ServiceLevels:
    default_working_days: int
    working_days: Mapping[str, int]
    holidays: HolidayCalendar
    triage_working_days: int = 2
    agencies: Mapping[str, AgencyLevels] = field(default_factory=dict)
    # A reporter not satisfied with an outcome may ask for a review within so many days.
    review_request_days: int = 15
    # A business asked to explain answers within so many working days, unless staff say.
    explanation_working_days: int = 5

    def resolution_days(self, category: str, agency_code: str | None = None) -> int:
        own = self.agencies.get(agency_code or "", AgencyLevels())
        if category in own.working_days:
            return own.working_days[category]
        if own.default_working_days is not None and category not in self.working_days:
            return own.default_working_days
        return self.working_days.get(category, self.default_working_days)

    def due_at(self, category: str, received_at: dt.datetime,
               agency_code: str | None = None) -> dt.datetime:
        return self.add_working_days(received_at, self.resolution_days(category, agency_code))

    def triage_due_at(self, received_at: dt.datetime) -> dt.datetime:
        return self.add_working_days(received_at, self.triage_working_days)

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working days from the day after `start` up to and including the day of `end`."""
        day, last, count = (start.astimezone(VIETNAM).date(), end.astimezone(VIETNAM).date(), 0)
        while day < last:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def add_working_days(self, due_at: dt.datetime, days: int) -> dt.datetime:
        """The same end-of-day deadline, `days` working days later."""
        day = due_at.astimezone(VIETNAM).date()
        while days > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        end_of_day = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=VIETNAM)
        return end_of_day.astimezone(dt.UTC)

    def is_working_day(self, day: dt.date) -> bool:
        return self.holidays.is_working_day(day)


def _positive(file: TomlFile, value: object, what: str, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise file.error(f"{what} must be a whole number above 0", key=key)
    return value


def _days_per_category(file: TomlFile, table: object, where: str) -> dict[str, int]:
    if not isinstance(table, dict):
        raise file.error(f"[{where}] must be a table of category = days", key="working_days")
    for category, days in table.items():
        if category not in CATEGORY_CODES:
            raise file.error(f"unknown category {category!r} (known: "
                             f"{', '.join(sorted(CATEGORY_CODES))})", key=category)
        _positive(file, days, f"{category}: working days", category)
    return dict(table)


def load_service_levels(sla_path: Path, holidays_path: Path,
                        agency_codes: Collection[str] | None = None) -> ServiceLevels:
    sla = read_toml(sla_path)
    default = _positive(sla, sla.data.get("default_working_days"), "default_working_days",
                        "default_working_days")
    triage = _positive(sla, sla.data.get("triage_working_days", 2), "triage_working_days",
                       "triage_working_days")
    per_category = _days_per_category(sla, sla.data.get("working_days", {}), "working_days")
    per_agency: dict[str, AgencyLevels] = {}
    agencies = sla.data.get("agencies", {})
    if not isinstance(agencies, dict):
        raise sla.error("[agencies.CODE] must be tables", key="agencies")
    for code, table in agencies.items():
        if agency_codes is not None and code not in agency_codes:
            raise sla.error(f"unknown agency {code!r} (known: {', '.join(sorted(agency_codes))})")
        if not isinstance(table, dict):
            raise sla.error(f"[agencies.{code}] must be a table")
        own_default = table.get("default_working_days")
        per_agency[code] = AgencyLevels(
            None if own_default is None else _positive(
                sla, own_default, f"agencies.{code}.default_working_days", "default_working_days"),
            _days_per_category(sla, table.get("working_days", {}), f"agencies.{code}.working_days"))

    calendar = read_toml(holidays_path)
    extra, working = (_dates(calendar, key) for key in ("holidays", "working_weekend_days"))
    if weekday := next((day for day in working if day.weekday() < 5), None):
        raise calendar.error(f"{weekday.isoformat()} is not a Saturday or Sunday",
                             key="working_weekend_days")
    review = _positive(sla, sla.data.get("review_request_days", 15), "review_request_days",
                       "review_request_days")
    explanation = _positive(sla, sla.data.get("explanation_working_days", 5),
                            "explanation_working_days", "explanation_working_days")
    return ServiceLevels(default, per_category, HolidayCalendar(extra, working), triage,
                         per_agency, review, explanation)


def _dates(file: TomlFile, key: str) -> frozenset[dt.date]:
    dates = file.data.get(key, [])
    if not isinstance(dates, list) or not all(
        isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in dates
    ):
        raise file.error(f"{key} must be a list of dates such as 2026-09-02", key=key)
    return frozenset(dates)
