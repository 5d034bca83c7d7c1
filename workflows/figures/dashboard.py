"""What the statistics page shows: a period's report and the twelve reporting months leading to
its end, by category. Only aggregates: nothing about a reporter."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.figures.statistics import PeriodReport, monthly_counts, period_report
from workflows.reference.reporting import Period, ReportingCalendar

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Dashboard:
    report: PeriodReport
    months: list[Period]  # oldest first
    received_by_month: dict[str, dict[str, int]]  # month label -> category -> cases

    def category_series(self) -> list[tuple[str, list[int]]]:
        """(category, cases per month) for the categories seen in the months, biggest first."""
        totals: dict[str, int] = {}
        for counts in self.received_by_month.values():
            for category, count in counts.items():
                totals[category] = totals.get(category, 0) + count
        ordered = sorted(totals, key=lambda category: (-totals[category], category))
        return [(category, [self.received_by_month[month.label].get(category, 0)
                            for month in self.months]) for category in ordered]


async def dashboard(period: Period, calendar: ReportingCalendar,
                    agency_code: str | None = None) -> Dashboard:
    last_month = calendar.month(period.last_day)
    months = calendar.months_ending(last_month, MONTHS_SHOWN)
    return Dashboard(await period_report(period, agency_code, calendar), months,
                     await monthly_counts(months, "category", agency_code=agency_code))
