"""The steering committee's figures for a period, beside the previous period's.

Every figure is made from the period's tallies (workflows.figures.tallies): SQL aggregates
counted by the database, frozen per reporting month once it has ended, so that a year's report
adds twelve months of rows instead of counting a year of cases; the same results on SQLite and
PostgreSQL. No figure carries anything about a reporter.

What counts where: "received" figures are over the cases created in the period; "resolved"
figures over the cases resolved in it (whenever they were received); the status at period end
is that of the cases received in the period (resolved by the end, rejected, or still open).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.expressions import F, RawSQL
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from workflows.campaign.feedback import counts_by_kind
from workflows.cases.models import Case, CaseFeedback
from workflows.figures.frozen import period_tallies
from workflows.figures.tallies import Tallies
from workflows.reference.reporting import Period, ReportingCalendar

BREAKDOWNS = ("category", "agency_code", "commune", "product_group", "sales_channel",
              "intake_channel")
TOP = 10


@dataclass(frozen=True)
class Figures:
    """One period's figures."""

    received: int
    by: dict[str, dict[str, int]]  # breakdown -> key -> cases received
    open_at_end: int
    settled_by_end: int
    rejected: int
    resolved: int
    resolved_in_time: int
    median_days: float | None
    p90_days: float | None
    outcomes: dict[str, int]
    fines_vnd: int
    seized_quantity: int
    seized_value_vnd: int
    top_brands: list[tuple[str, int]]
    top_products: list[tuple[str, int]]
    top_shops: list[tuple[str, str, int]]  # shop name, commune, cases
    top_shop_keys: list[str] = field(default_factory=list)  # the shops' keys, in that order
    # The reporters' answers on outcomes given in the period: by agency and by category,
    # key -> (answers, satisfied).
    satisfaction: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)

    @property
    def answers(self) -> int:
        return sum(answers for answers, _ in self.satisfaction.get("category", {}).values())

    @property
    def satisfied_share(self) -> float | None:
        satisfied = sum(count for _, count in self.satisfaction.get("category", {}).values())
        return satisfied / self.answers if self.answers else None

    @property
    def online_share(self) -> float | None:
        return self.by["sales_channel"].get("online", 0) / self.received if self.received else None

    @property
    def in_time_share(self) -> float | None:
        return self.resolved_in_time / self.resolved if self.resolved else None


@dataclass(frozen=True)
class PeriodReport:
    period: Period
    previous_period: Period
    agency_code: str | None
    current: Figures
    previous: Figures
    notes: list[str] = field(default_factory=list)
    # The previous period's count of each of this period's most reported brands, products and
    # shops, wherever they ranked then: "brands" -> (brand,) -> n, "shops" -> (name, commune).
    earlier_tops: dict[str, dict[tuple[str, ...], int]] = field(default_factory=dict)
    # The campaign's feedback by kind (workflows.campaign), now and before: the committee's
    # report only (None for an agency's, which the feedback does not go to).
    campaign: tuple[dict[str, int], dict[str, int]] | None = None


def _scope(agency_code: str | None) -> QuerySet[Case]:
    return Case.filter(agency_code=agency_code) if agency_code else Case.all()


def _percentile(histogram: dict[str, int], count: int, share: float) -> float | None:
    """The value at rank round(share × (count − 1)) (nearest rank) of the durations counted
    in tenths of a day."""
    if not count:
        return None
    rank = round(share * (count - 1))
    for tenths in sorted(histogram, key=int):
        rank -= histogram[tenths]
        if rank < 0:
            return int(tenths) / 10
    return None


def _top(counts: dict[str, int]) -> list[tuple[str, int]]:
    ranked = sorted(((key, n) for key, n in counts.items() if key and n > 0),
                    key=lambda item: (-item[1], item[0]))
    return ranked[:TOP]


def _shops(tallies: Tallies) -> list[tuple[tuple[str, str], int]]:
    return sorted(((shop, n) for shop, n in tallies.pairs("shop", 2, 3).items() if n > 0),
                  key=lambda item: (-item[1], item[0]))


def earlier_tops(previous: Tallies, current: Figures) -> dict[str, dict[tuple[str, ...], int]]:
    """How often the previous period saw this period's most reported: a brand 11th last year
    was not reported zero times."""
    brands, products = previous.by("brand"), previous.by("product_name")
    shops = dict(_shops(previous))
    tops = zip(current.top_shop_keys, current.top_shops, strict=True)
    return {"brands": {(brand,): brands[brand] for brand, _ in current.top_brands
                       if brand in brands},
            "products": {(product,): products[product] for product, _ in current.top_products
                         if product in products},
            "shops": {(name, commune): shops[(key, commune)] for key, (name, commune, _) in tops
                      if (key, commune) in shops}}


async def _satisfaction(period: Period, agency_code: str | None,
                        ) -> dict[str, dict[str, tuple[int, int]]]:
    """Answers and satisfied reporters, by the answered case's agency and category."""
    answers = CaseFeedback.filter(created_at__gte=period.start, created_at__lt=period.end)
    if agency_code:
        answers = answers.filter(case__agency_code=agency_code)
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for column in ("agency_code", "category"):
        rows = await (answers.annotate(n=Count("id")).group_by(f"case__{column}", "satisfied")
                      .values_list(f"case__{column}", "satisfied", "n"))
        totals: dict[str, tuple[int, int]] = {}
        for key, satisfied, n in rows:
            name = str(key or "")
            given, happy = totals.get(name, (0, 0))
            totals[name] = (given + int(n), happy + (int(n) if satisfied else 0))
        found[column] = totals
    return found


def figures_of(tallies: Tallies, period: Period,
               satisfaction: dict[str, dict[str, tuple[int, int]]]) -> Figures:
    """A period's figures from its tallies (workflows.figures.tallies)."""
    by = {column: tallies.by(column) for column in BREAKDOWNS if column != "agency_code"}
    by["agency_code"] = tallies.by("category", part=1)
    total = sum(by["category"].values())
    last_day = period.last_day.isoformat()
    settled_by_end = sum(sums[0] for key, sums in tallies.of("settled") if key[2] <= last_day)
    rejected = tallies.total("rejected")
    outcomes = {outcome: n for outcome, n in tallies.by("done", part=3).items() if outcome}
    resolved_count = sum(outcomes.values())
    done = tallies.of("done")
    shops = _shops(tallies)[:TOP]
    days = tallies.by("days")
    return Figures(
        received=total, by=by, open_at_end=total - settled_by_end - rejected,
        settled_by_end=settled_by_end, rejected=rejected, resolved=resolved_count,
        resolved_in_time=tallies.total("in_time"),
        median_days=_percentile(days, resolved_count, 0.5),
        p90_days=_percentile(days, resolved_count, 0.9),
        outcomes=outcomes, fines_vnd=sum(sums[1] for _, sums in done),
        seized_quantity=sum(sums[2] for _, sums in done),
        seized_value_vnd=sum(sums[3] for _, sums in done),
        top_brands=_top(tallies.by("brand")), top_products=_top(tallies.by("product_name")),
        top_shops=[(tallies.shop_name(*shop), shop[1], n) for shop, n in shops],
        top_shop_keys=[shop[0] for shop, _ in shops],
        satisfaction=satisfaction,
    )


async def period_report(period: Period, agency_code: str | None = None,
                        calendar: ReportingCalendar | None = None) -> PeriodReport:
    return (await period_report_and_tallies(period, agency_code, calendar))[0]


async def period_report_and_tallies(period: Period, agency_code: str | None = None,
                                    calendar: ReportingCalendar | None = None,
                                    ) -> tuple[PeriodReport, Tallies]:
    """The report and the period's tallies (the cross-tables are made from them too)."""
    previous = period.previous()
    tallies = await period_tallies(period, agency_code, calendar)
    earlier = await period_tallies(previous, agency_code, calendar)
    current = figures_of(tallies, period, await _satisfaction(period, agency_code))
    campaign = None if agency_code else (
        await counts_by_kind(period.start, period.end),
        await counts_by_kind(previous.start, previous.end))
    report = PeriodReport(period, previous, agency_code, current,
                          figures_of(earlier, previous, await _satisfaction(previous, agency_code)),
                          earlier_tops=earlier_tops(earlier, current), campaign=campaign)
    return report, tallies


def _month_bucket(date_field: str, cutoff_day: int, dialect: str) -> RawSQL:
    """The calendar month (YYYY-MM) of the Vietnam-time day `cutoff_day` days before: with a
    cut-off, the reporting month is the month after it (see ReportingCalendar.month_label)."""
    if dialect == "sqlite":
        return RawSQL(f"strftime('%Y-%m', {date_field}, '+7 hours', '-{int(cutoff_day)} days')")
    return RawSQL(f"to_char(({date_field} AT TIME ZONE 'Asia/Ho_Chi_Minh') - "
                  f"interval '{int(cutoff_day)} days', 'YYYY-MM')")


def _reporting_label(bucket: str, cutoff_day: int) -> str:
    year, month = int(bucket[:4]), int(bucket[5:7])
    if not cutoff_day:
        return bucket
    return f"{year + month // 12}-{month % 12 + 1:02d}"


async def monthly_counts(months: list[Period], column: str | None, date_field: str = "created_at",
                         agency_code: str | None = None, in_time: bool = False,
                         ) -> dict[str, dict[str, int]]:
    """Cases per reporting month (label -> key of `column` -> count) by the month of
    `date_field`, in one GROUP BY over the months' span. `in_time`: only cases resolved by
    their due date."""
    if not months:
        return {}
    cutoff_day = months[0].cutoff_day
    dialect = Case._meta.db.capabilities.dialect
    scope = _scope(agency_code).filter(**{f"{date_field}__gte": months[0].start,
                                          f"{date_field}__lt": months[-1].end})
    if in_time:
        scope = scope.filter(resolved_at__lte=F("due_at"))
    grouping = ("bucket", column) if column else ("bucket",)
    rows = await (scope.annotate(bucket=_month_bucket(date_field, cutoff_day, dialect),
                                 n=Count(date_field))
                  .group_by(*grouping).values_list(*grouping, "n"))
    counts: dict[str, dict[str, int]] = {month.label: {} for month in months}
    for row in rows:
        label = _reporting_label(str(row[0]), cutoff_day)
        key = str(row[1] or "") if column else ""
        if label in counts:
            counts[label][key] = counts[label].get(key, 0) + int(row[-1])
    return counts
