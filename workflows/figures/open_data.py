"""Open data: each completed reporting month's counts by category, product group, agency and
commune or ward, with the cases resolved and resolved in time — as consumer agencies elsewhere
publish their complaint data. Nothing names a person, a shop or a brand; the only place is the
commune or ward (months published before it was counted have no such rows).

A month is published `publish_after_days` after it ends, on the first request after that, and
frozen in the database: published figures never move, every worker serves the same ones, and a
public request never counts cases beyond the months not yet published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from workflows.campaign.feedback import counts_by_kind
from workflows.figures.models import PublishedMonth
from workflows.figures.statistics import monthly_counts
from workflows.figures.tallies import first_case_day
from workflows.i18n.formatting import VIETNAM
from workflows.reference.catalog import CAMPAIGN_KINDS
from workflows.reference.reporting import Period, ReportingCalendar

BREAKDOWNS = {"category": "category", "product_group": "product_group", "agency": "agency_code",
              "commune": "commune"}
MAX_MONTHS = 36  # published months kept on the page and in the files


@dataclass(frozen=True)
class MonthFigures:
    label: str
    first_day: dt.date
    last_day: dt.date
    rows: list[dict[str, object]]

    def total(self, key: str) -> int:
        return sum(int(row[key]) for row in self.rows  # type: ignore[call-overload]
                   if row["breakdown"] == "category")


def due_months(calendar: ReportingCalendar, today: dt.date, first_case_day: dt.date | None,
               ) -> list[Period]:
    """The months that should be published by `today`, oldest first."""
    if first_case_day is None:
        return []
    ready = today - dt.timedelta(days=max(1, calendar.publish_after_days))
    latest = calendar.month(ready)  # the months ended by `ready` are due
    if latest.last_day > ready:
        latest = latest.previous()
    first = calendar.month(first_case_day)
    months = calendar.months_ending(latest, MAX_MONTHS)
    return [month for month in months if month.last_day >= first.first_day]


async def _count_month(month: Period) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for breakdown, column in BREAKDOWNS.items():
        received = (await monthly_counts([month], column))[month.label]
        resolved = (await monthly_counts([month], column, "resolved_at"))[month.label]
        in_time = (await monthly_counts([month], column, "resolved_at", in_time=True))[
            month.label]
        for code in sorted(set(received) | set(resolved)):
            rows.append({"breakdown": breakdown, "code": code,
                         "received": received.get(code, 0), "resolved": resolved.get(code, 0),
                         "resolved_in_time": in_time.get(code, 0)})
    # The campaign's suggestions and recommendations: received only, never "resolved"; as in
    # every breakdown, a kind none arrived of has no row.
    sent = await counts_by_kind(month.start, month.end)
    rows += [{"breakdown": "campaign", "code": term.code, "received": sent[term.code],
              "resolved": 0, "resolved_in_time": 0} for term in CAMPAIGN_KINDS
             if sent.get(term.code)]
    return rows


async def publish_due_months(calendar: ReportingCalendar, now: dt.datetime) -> int:
    """Count and freeze the months due and not yet published; how many were."""
    months = due_months(calendar, now.astimezone(VIETNAM).date(), await first_case_day())
    published = {str(label) for label in await PublishedMonth.filter(
        label__in=[m.label for m in months]).values_list("label", flat=True)}
    count = 0
    for month in months:
        if month.label in published:
            continue
        rows = await _count_month(month)
        try:
            await PublishedMonth.create(label=month.label, first_day=month.first_day,
                                        last_day=month.last_day, published_at=now, rows=rows)
            count += 1
        except IntegrityError:
            pass  # another worker published it first: the same figures
    return count


async def published_months(calendar: ReportingCalendar, now: dt.datetime) -> list[MonthFigures]:
    """The published months, newest first (publishing any that have come due)."""
    await publish_due_months(calendar, now)
    stored = await PublishedMonth.all().order_by("-first_day").limit(MAX_MONTHS)
    return [MonthFigures(month.label, month.first_day, month.last_day, list(month.rows))
            for month in stored]
