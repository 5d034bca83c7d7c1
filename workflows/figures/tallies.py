"""A period's counts, as rows anyone can add up: the report's figures and cross-tables are
built from them (workflows.figures.statistics, crosstabs).

Each row is a measure, the agency, one or two keys and the cases with their sums. Counted over
a stretch of time they add up: a year's are the sum of its months', which is what lets a
reporting month be counted once and frozen (workflows.figures.frozen).

What each measure counts is declared in RECEIVED and RESOLVED: "received" rows are the cases
created in the time counted, "resolved" rows the cases resolved in it (whenever received).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, RawSQL
from tortoise.functions import Count, Max, Sum
from tortoise.queryset import QuerySet

from workflows.cases.models import Case
from workflows.i18n.formatting import VIETNAM

# The cases received: measure -> the columns counted (besides the agency).
RECEIVED: dict[str, tuple[str, ...]] = {
    "category": ("category",), "commune": ("commune",), "product_group": ("product_group",),
    "sales_channel": ("sales_channel",), "intake_channel": ("intake_channel",),
    "category_commune": ("category", "commune"), "brand": ("brand",),
    "product_name": ("product_name",), "shop": ("shop_key", "commune"),
    "settled": ("resolved_day",),  # by the Vietnam day resolved (settled by a period's end)
    "rejected": (),  # rejected (spam, out of scope, duplicate), closed or not: never resolved
}
# The cases resolved: what was found (category × outcome, with fines and goods seized), whether
# in time, and how long it took in tenths of a day (for the median and the 90th percentile).
RESOLVED: dict[str, tuple[str, ...]] = {
    "done": ("category", "outcome"), "in_time": (), "days": ("tenths",),
}
NEVER_RESOLVED = ("closed", "rejected")  # a case received and rejected was never resolved

Key = tuple[str, str, str, str]  # measure, agency ("" awaiting triage), key1, key2


@dataclass
class Tallies:
    """Rows added up: (measure, agency, key1, key2) -> [cases, fines, quantity, value]."""

    rows: dict[Key, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    # (agency, shop key, commune) -> the greatest name a case gave the shop
    names: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def add(self, key: Key, sums: Iterable[int], name: str = "") -> None:
        total = self.rows[key]
        for index, value in enumerate(sums):
            total[index] += value
        if name and key[0] == "shop" and name > self.names.get(key[1:], ""):
            self.names[key[1:]] = name

    def shop_name(self, shop_key: str, commune: str) -> str:
        """The greatest name given to the shop by the cases counted (whatever their agency)."""
        return max((name for (_, key, place), name in self.names.items()
                    if (key, place) == (shop_key, commune)), default="")

    def merge(self, other: Tallies) -> None:
        for key, sums in other.rows.items():
            self.add(key, sums)
        for shop, name in other.names.items():
            if name > self.names.get(shop, ""):
                self.names[shop] = name

    def by(self, measure: str, part: int = 2) -> dict[str, int]:
        """Cases per key (part 1: the agency, 2: key1, 3: key2) of one measure; no zeros."""
        found: dict[str, int] = defaultdict(int)
        for key, sums in self.rows.items():
            if key[0] == measure:
                found[key[part]] += sums[0]
        return {name: n for name, n in found.items() if n}

    def pairs(self, measure: str, first: int, second: int) -> dict[tuple[str, str], int]:
        """Cases per pair of key parts (numbered as in `by`) of one measure; no zeros."""
        found: dict[tuple[str, str], int] = defaultdict(int)
        for key, sums in self.rows.items():
            if key[0] == measure:
                found[(key[first], key[second])] += sums[0]
        return {pair: n for pair, n in found.items() if n}

    def of(self, measure: str) -> list[tuple[Key, list[int]]]:
        return [(key, sums) for key, sums in self.rows.items() if key[0] == measure and any(sums)]

    def total(self, measure: str) -> int:
        return sum(sums[0] for key, sums in self.rows.items() if key[0] == measure)


def _dialect() -> str:
    return str(Case._meta.db.capabilities.dialect)


def _expression(column: str) -> RawSQL | None:
    """The computed columns: the Vietnam day a case was resolved, its duration in tenths."""
    if column == "resolved_day":
        return RawSQL("date(resolved_at, '+7 hours')" if _dialect() == "sqlite" else
                      "to_char(resolved_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')")
    if column == "tenths":
        return RawSQL("CAST(round((julianday(resolved_at) - julianday(created_at)) * 10) "
                      "AS INTEGER)" if _dialect() == "sqlite" else
                      "round(EXTRACT(EPOCH FROM (resolved_at - created_at)) / 8640.0)::bigint")
    return None


def _never_resolved() -> RawSQL:
    """Rejected or closed, never resolved. On SQLite each column behind a unary + that keeps
    the planner off its index: it took "resolved_at IS NULL" for a rare value, and the two
    statuses too when it has no statistics, and read every such case of every month — 200 ms
    for one month at 1,000,000 cases, where reading the month's cases takes 12 ms."""
    plus = "+" if _dialect() == "sqlite" else ""
    statuses = ", ".join(f"'{status}'" for status in NEVER_RESOLVED)
    return RawSQL(f"({plus}status IN ({statuses}) AND {plus}resolved_at IS NULL)")


def _measure_query(cases: QuerySet[Case], measure: str, columns: tuple[str, ...],
                   resolved: bool) -> QuerySet[Case]:
    if measure == "settled":
        cases = cases.filter(resolved_at__isnull=False)
    elif measure == "rejected":
        cases = cases.annotate(never_resolved=_never_resolved()).filter(never_resolved=True)
    elif measure == "in_time":
        cases = cases.filter(resolved_at__lte=F("due_at"))
    annotations: dict[str, object] = {"n": Count("resolved_at" if resolved else "created_at")}
    for column in columns:
        computed = _expression(column)
        if computed is not None:
            annotations[column] = computed
    if measure == "done":
        annotations.update(fines=Sum("fine_vnd"), quantity=Sum("seized_quantity"),
                           value=Sum("seized_value_vnd"))
    if measure == "shop":
        cases = cases.exclude(shop_key="")
        annotations["name"] = Max("shop_name")
    return cases.annotate(**annotations).group_by("agency_code", *columns)  # type: ignore[arg-type]


async def count(received: QuerySet[Case] | None, resolved: QuerySet[Case] | None,
                connection: BaseDBAsyncClient | None = None) -> Tallies:
    """The rows of the cases `received` and of the cases `resolved`, counted by the database."""
    tallies = Tallies()
    sides = [(received, RECEIVED, False), (resolved, RESOLVED, True)]
    for cases, measures, is_resolved in sides:
        if cases is None:
            continue
        for measure, columns in measures.items():
            query = _measure_query(cases, measure, columns, is_resolved)
            sums = ["n", "fines", "quantity", "value"] if measure == "done" else ["n"]
            extra = ["name"] if measure == "shop" else []
            if connection is not None:
                query = query.using_db(connection)
            for row in await query.values_list("agency_code", *columns, *sums, *extra):
                keys = [str(value) if value is not None else "" for value in
                        row[1:1 + len(columns)]]
                keys += [""] * (2 - len(keys))
                numbers = [int(value or 0) for value in row[1 + len(columns):
                                                           1 + len(columns) + len(sums)]]
                tallies.add((measure, str(row[0] or ""), keys[0], keys[1]), numbers,
                            str(row[-1] or "") if extra else "")
    return tallies


def _between(start: dt.datetime, end: dt.datetime, date_field: str,
             agency_code: str | None) -> QuerySet[Case]:
    cases = Case.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    return cases.filter(agency_code=agency_code) if agency_code else cases


async def count_live(start: dt.datetime, end: dt.datetime, agency_code: str | None = None,
                     connection: BaseDBAsyncClient | None = None) -> Tallies:
    return await count(_between(start, end, "created_at", agency_code),
                       _between(start, end, "resolved_at", agency_code), connection)


async def case_tallies(connection: BaseDBAsyncClient, case_id: int, sides: Iterable[str],
                       ) -> Tallies:
    """What one case counts for, on the sides asked for ("received", "resolved")."""
    wanted = set(sides)
    one = Case.filter(id=case_id)
    return await count(one if "received" in wanted else None,
                       one.filter(resolved_at__isnull=False) if "resolved" in wanted else None,
                       connection)


async def first_case_day() -> dt.date | None:
    """The Vietnam day of the first case received (None before any): no month before it
    holds anything to count."""
    first = await Case.all().order_by("created_at").first().values_list("created_at", flat=True)
    return first.astimezone(VIETNAM).date() if isinstance(first, dt.datetime) else None


def side_of(measure: str) -> str:
    return "received" if measure in RECEIVED else "resolved"


