"""The steering committee's figures for a period, beside the previous period's.

Every figure is an SQL aggregate (GROUP BY, COUNT, SUM, an ORDER BY … OFFSET for the
percentiles), computed in the database whatever the number of cases, with the same results on
SQLite and PostgreSQL. No figure carries anything about a reporter.

What counts where: "received" figures are over the cases created in the period; "resolved"
figures over the cases resolved in it (whenever they were received); the status at period end
is that of the cases received in the period (resolved by the end, rejected, or still open).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.expressions import F, RawSQL
from tortoise.functions import Count, Max, Sum
from tortoise.queryset import QuerySet

from workflows.cases.models import Case, CaseFeedback
from workflows.reference.reporting import Period

BREAKDOWNS = ("category", "agency_code", "commune", "product_group", "sales_channel",
              "intake_channel")
TOP = 10
# A case received and rejected (or rejected and closed) was never resolved.
NEVER_RESOLVED = frozenset({"rejected", "closed"})


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


def _scope(agency_code: str | None) -> QuerySet[Case]:
    return Case.filter(agency_code=agency_code) if agency_code else Case.all()


def _days_expression(dialect: str) -> RawSQL:
    if dialect == "sqlite":
        return RawSQL("(julianday(resolved_at) - julianday(created_at))")
    return RawSQL("(EXTRACT(EPOCH FROM (resolved_at - created_at)) / 86400.0)")


async def _percentile(resolved: QuerySet[Case], count: int, share: float,
                      dialect: str) -> float | None:
    """The value at rank round(share × (count − 1)) (nearest rank), read by the database."""
    if not count:
        return None
    rank = round(share * (count - 1))
    values = await (resolved.annotate(days=_days_expression(dialect)).order_by("days")
                    .offset(rank).limit(1).values_list("days", flat=True))
    return round(float(values[0]), 1)  # type: ignore[arg-type]


async def _top(received: QuerySet[Case], column: str) -> list[tuple[str, int]]:
    rows = await (received.exclude(**{column: ""}).annotate(n=Count("created_at")).group_by(column)
                  .order_by("-n", column).limit(TOP).values_list(column, "n"))
    return [(str(key), int(n)) for key, n in rows]


async def _counts_of(received: QuerySet[Case], column: str, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    rows = await (received.filter(**{f"{column}__in": keys}).annotate(n=Count("created_at"))
                  .group_by(column).values_list(column, "n"))
    return {str(key): int(n) for key, n in rows}


async def earlier_tops(previous: Period, agency_code: str | None,
                       current: Figures) -> dict[str, dict[tuple[str, ...], int]]:
    """How often the previous period saw this period's most reported: a brand 11th last year
    was not reported zero times."""
    received = _scope(agency_code).filter(created_at__gte=previous.start,
                                          created_at__lt=previous.end)
    brands = await _counts_of(received, "brand", [brand for brand, _ in current.top_brands])
    products = await _counts_of(received, "product_name",
                                [product for product, _ in current.top_products])
    shops: dict[tuple[str, ...], int] = {}
    if current.top_shop_keys:
        names = {(key, commune): name for key, (name, commune, _) in
                 zip(current.top_shop_keys, current.top_shops, strict=True)}
        rows = await (received.filter(shop_key__in=current.top_shop_keys)
                      .annotate(n=Count("created_at")).group_by("shop_key", "commune")
                      .values_list("shop_key", "commune", "n"))
        for key, commune, n in rows:
            if (str(key), str(commune)) in names:
                shops[(names[(str(key), str(commune))], str(commune))] = int(n)
    return {"brands": {(key,): n for key, n in brands.items()},
            "products": {(key,): n for key, n in products.items()}, "shops": shops}


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


async def figures(period: Period, agency_code: str | None = None) -> Figures:
    scope = _scope(agency_code)
    dialect = Case._meta.db.capabilities.dialect
    received = scope.filter(created_at__gte=period.start, created_at__lt=period.end)
    by: dict[str, dict[str, int]] = {}
    for column in BREAKDOWNS:
        # COUNT of an indexed, never-empty column, not of the id: PostgreSQL then counts from
        # the covering index alone instead of visiting every row.
        rows = await (received.annotate(n=Count("created_at")).group_by(column)
                      .values_list(column, "n"))
        by[column] = {str(key) if key is not None else "": int(n) for key, n in rows}
    total = sum(by["category"].values())
    settled_by_end = await received.filter(resolved_at__lt=period.end).count()
    # Rejected (spam, out of scope, duplicate), whether or not closed since: never resolved.
    rejected = await received.filter(resolved_at__isnull=True,
                                     status__in=sorted(NEVER_RESOLVED)).count()

    resolved = scope.filter(resolved_at__gte=period.start, resolved_at__lt=period.end)
    outcome_rows = await resolved.annotate(n=Count("resolved_at")).group_by("outcome").values_list(
        "outcome", "n")
    outcomes = {str(key): int(n) for key, n in outcome_rows if key}
    resolved_count = sum(outcomes.values())
    in_time = await resolved.filter(resolved_at__lte=F("due_at")).count()
    sums = await resolved.annotate(fines=Sum("fine_vnd"), quantity=Sum("seized_quantity"),
                                   value=Sum("seized_value_vnd")).first().values(
        "fines", "quantity", "value")
    shops = await (received.exclude(shop_key="").annotate(n=Count("created_at"),
                                                          name=Max("shop_name"))
                   .group_by("shop_key", "commune").order_by("-n", "shop_key").limit(TOP)
                   .values_list("shop_key", "name", "commune", "n"))
    return Figures(
        received=total, by=by, open_at_end=total - settled_by_end - rejected,
        settled_by_end=settled_by_end, rejected=rejected, resolved=resolved_count,
        resolved_in_time=in_time,
        median_days=await _percentile(resolved, resolved_count, 0.5, dialect),
        p90_days=await _percentile(resolved, resolved_count, 0.9, dialect),
        outcomes=outcomes, fines_vnd=int((sums or {}).get("fines") or 0),
        seized_quantity=int((sums or {}).get("quantity") or 0),
        seized_value_vnd=int((sums or {}).get("value") or 0),
        top_brands=await _top(received, "brand"), top_products=await _top(received, "product_name"),
        top_shops=[(str(name), str(commune), int(n)) for _, name, commune, n in shops],
        top_shop_keys=[str(key) for key, _, _, _ in shops],
        satisfaction=await _satisfaction(period, agency_code),
    )


async def period_report(period: Period, agency_code: str | None = None) -> PeriodReport:
    previous = period.previous()
    current = await figures(period, agency_code)
    return PeriodReport(period, previous, agency_code, current,
                        await figures(previous, agency_code),
                        earlier_tops=await earlier_tops(previous, agency_code, current))


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
