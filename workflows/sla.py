"""Due dates: a number of working days per category, counted in Vietnam time.

Saturdays, Sundays and the holidays of config/holidays.toml do not count. A case is due at the
end of its last working day (23:59:59 Asia/Ho_Chi_Minh), stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from workflows.catalog import CATEGORY_CODES
from workflows.tomlfile import read_toml

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class ServiceLevels:
    default_working_days: int
    working_days: Mapping[str, int]
    holidays: frozenset[dt.date]

    def due_at(self, category: str, received_at: dt.datetime) -> dt.datetime:
        days = self.working_days.get(category, self.default_working_days)
        return self.add_working_days(received_at, days)

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
        return day.weekday() < 5 and day not in self.holidays


def load_service_levels(sla_path: Path, holidays_path: Path) -> ServiceLevels:
    sla = read_toml(sla_path)
    default = sla.data.get("default_working_days")
    if not isinstance(default, int) or isinstance(default, bool) or default <= 0:
        raise sla.error("default_working_days must be a whole number above 0",
                        key="default_working_days")
    per_category = sla.data.get("working_days", {})
    if not isinstance(per_category, dict):
        raise sla.error("[working_days] must be a table of category = days", key="working_days")
    for category, days in per_category.items():
        if category not in CATEGORY_CODES:
            raise sla.error(f"unknown category {category!r} (known: "
                            f"{', '.join(sorted(CATEGORY_CODES))})", key=category)
        if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
            raise sla.error(f"{category}: working days must be a whole number above 0", key=category)

    holidays = read_toml(holidays_path)
    dates = holidays.data.get("holidays", [])
    if not isinstance(dates, list) or not all(
        isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in dates
    ):
        raise holidays.error("holidays must be a list of dates such as 2026-09-02", key="holidays")
    return ServiceLevels(default, dict(per_category), frozenset(dates))
