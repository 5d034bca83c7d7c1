"""A period's counts, as rows anyone can add up: the report's figures and cross-tables are
built from them (workflows.figures.statistics, crosstabs).

Each row is a measure, the agency, one or two keys and the cases with their sums. Counted over
a stretch of time they add up: a year's are the sum of its months'. So a reporting month is
counted once, when it has ended, and frozen (FrozenMonth, FrozenFigure); a report over a year
adds twelve months of rows and counts live only the days no frozen month covers (the month
still running, or the edges of a range of dates). A later change to a frozen month's case is
recorded as a correction in the change's own transaction (`record_corrections`).

What each measure counts is declared in RECEIVED and RESOLVED: "received" rows are the cases
created in the time counted, "resolved" rows the cases resolved in it (whenever received).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q, RawSQL
from tortoise.functions import Count, Max, Sum
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from workflows.cases.models import Case
from workflows.figures.models import FrozenFigure, FrozenMonth
from workflows.i18n.formatting import VIETNAM
from workflows.reference.reporting import Period, ReportingCalendar

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
LOCK_KEY = 0x1A7A_F16E  # PostgreSQL: freezing a month excludes corrections meanwhile

Key = tuple[str, str, str, str]  # measure, agency ("" awaiting triage), key1, key2


@dataclass
class Tallies:
    """Rows added up: (measure, agency, key1, key2) -> [cases, fines, quantity, value]."""

    rows: dict[Key, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # shop -> greatest name

    def add(self, key: Key, sums: Iterable[int], name: str = "") -> None:
        total = self.rows[key]
        for index, value in enumerate(sums):
            total[index] += value
        if name and key[0] == "shop" and name > self.names.get((key[2], key[3]), ""):
            self.names[(key[2], key[3])] = name

    def merge(self, other: Tallies) -> None:
        for key, sums in other.rows.items():
            self.add(key, sums)
        for shop, name in other.names.items():
            if name > self.names.get(shop, ""):
                self.names[shop] = name

    def by(self, measure: str, part: int = 2, agency: str | None = None) -> dict[str, int]:
        """Cases per key (part 1: the agency, 2: key1, 3: key2) of one measure; no zeros."""
        found: dict[str, int] = defaultdict(int)
        for key, sums in self.rows.items():
            if key[0] == measure and agency in (None, key[1]):
                found[key[part]] += sums[0]
        return {name: n for name, n in found.items() if n}

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


def _measure_query(cases: QuerySet[Case], measure: str, columns: tuple[str, ...],
                   resolved: bool) -> QuerySet[Case]:
    if measure == "settled":
        cases = cases.filter(resolved_at__isnull=False)
    elif measure == "rejected":
        cases = cases.filter(resolved_at__isnull=True, status__in=list(NEVER_RESOLVED))
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


def _whole_months(period: Period, calendar: ReportingCalendar, now: dt.datetime) -> list[Period]:
    """The reporting months inside the period that have ended: those a frozen month serves."""
    months, month = [], calendar.month(period.first_day)
    while month.first_day <= period.last_day:
        if month.first_day >= period.first_day and month.last_day <= period.last_day \
                and month.end <= now:
            months.append(month)
        month = calendar.month(month.last_day + dt.timedelta(days=1))
    return months


async def _lock(connection: BaseDBAsyncClient, shared: bool) -> None:
    """Freezing and corrections exclude each other (on SQLite, the write lock already does)."""
    if connection.capabilities.dialect == "postgres":
        kind = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        await connection.execute_query(f"SELECT {kind}({LOCK_KEY})")


def _rows(month_id: int, tallies: Tallies, now: dt.datetime,
          correction: bool) -> list[FrozenFigure]:
    return [FrozenFigure(month_id=month_id, measure=key[0], agency=key[1], key1=key[2],
                         key2=key[3], name=tallies.names.get((key[2], key[3]), "")
                         if key[0] == "shop" else "", n=sums[0], fines=sums[1],
                         quantity=sums[2], value=sums[3], correction=correction,
                         recorded_at=now)
            for key, sums in tallies.rows.items() if any(sums)]


async def freeze(month: Period, now: dt.datetime) -> int:
    """Count an ended month's cases and freeze the rows; the frozen month's id (another
    worker's, if it froze the month first)."""
    async with in_transaction() as connection:
        await _lock(connection, shared=False)
        found = await FrozenMonth.filter(first_day=month.first_day, last_day=month.last_day
                                         ).using_db(connection).first()
        if found:
            return found.id
        tallies = await count_live(month.start, month.end, connection=connection)
        frozen = await FrozenMonth.create(using_db=connection, first_day=month.first_day,
                                          last_day=month.last_day, frozen_at=now)
        await FrozenFigure.bulk_create(_rows(frozen.id, tallies, now, False), batch_size=1000,
                                       using_db=connection)
    return frozen.id


async def forget_frozen_months() -> None:
    """Drop every frozen month, to be counted again: for cases written into past months
    (the demonstration data), which no correction follows."""
    async with in_transaction() as connection:
        await _lock(connection, shared=False)
        await FrozenFigure.all().using_db(connection).delete()
        await FrozenMonth.all().using_db(connection).delete()


async def _frozen(month_ids: list[int], agency_code: str | None) -> Tallies:
    tallies = Tallies()
    if not month_ids:
        return tallies
    figures = FrozenFigure.filter(month_id__in=month_ids)
    if agency_code:
        figures = figures.filter(agency=agency_code)
    rows = await (figures.annotate(cases=Sum("n"), all_fines=Sum("fines"),
                                   all_quantity=Sum("quantity"), all_value=Sum("value"),
                                   greatest=Max("name"))
                  .group_by("measure", "agency", "key1", "key2")
                  .values_list("measure", "agency", "key1", "key2", "cases", "all_fines",
                               "all_quantity", "all_value", "greatest"))
    for measure, agency, key1, key2, *sums, name in rows:
        tallies.add((str(measure), str(agency), str(key1), str(key2)),
                    [int(value or 0) for value in sums], str(name or ""))
    return tallies


def _uncovered(period: Period, months: list[Period]) -> list[tuple[dt.datetime, dt.datetime]]:
    """The stretches of the period no frozen month covers, as UTC [start, end) pairs."""
    stretches, start = [], period.start
    for month in months:
        if month.start > start:
            stretches.append((start, month.start))
        start = max(start, month.end)
    if start < period.end:
        stretches.append((start, period.end))
    return stretches


async def period_tallies(period: Period, agency_code: str | None = None,
                         calendar: ReportingCalendar | None = None,
                         now: dt.datetime | None = None) -> Tallies:
    """The period's rows: its ended reporting months from their frozen figures (freezing any
    not frozen yet), the rest counted live. Without a calendar, all of it counted live."""
    if calendar is None:
        return await count_live(period.start, period.end, agency_code)
    now = now or dt.datetime.now(dt.UTC)
    months = _whole_months(period, calendar, now)
    ids = []
    for month in months:
        ids.append(await freeze(month, now))
    tallies = await _frozen(ids, agency_code)
    for start, end in _uncovered(period, months):
        tallies.merge(await count_live(start, end, agency_code))
    return tallies


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(VIETNAM).date() if moment else None


async def frozen_months_of(connection: BaseDBAsyncClient, case: Case,
                           running_month: Period) -> dict[str, int]:
    """The frozen months a case counts in ("received", "resolved" -> month id), once any
    month being frozen is done. Nothing to look up for a case of the running month."""
    days = {"received": _day(case.created_at), "resolved": _day(case.resolved_at)}
    past = {side: day for side, day in days.items()
            if day is not None and day < running_month.first_day}
    if not past:
        return {}
    await _lock(connection, shared=True)
    query = Q(*[Q(first_day__lte=day, last_day__gte=day) for day in past.values()],
              join_type="OR")
    found = await FrozenMonth.filter(query).using_db(connection).values_list(
        "id", "first_day", "last_day")
    return {side: month_id for side, day in past.items()
            for month_id, first, last in found if first <= day <= last}


async def case_tallies(connection: BaseDBAsyncClient, case_id: int, sides: Iterable[str],
                       ) -> Tallies:
    """What one case counts for, on the sides asked for ("received", "resolved")."""
    wanted = set(sides)
    one = Case.filter(id=case_id)
    return await count(one if "received" in wanted else None,
                       one.filter(resolved_at__isnull=False) if "resolved" in wanted else None,
                       connection)


def _side(measure: str) -> str:
    return "received" if measure in RECEIVED else "resolved"


@dataclass(frozen=True)
class Counted:
    """What a case counted for in frozen months before a change (see record_corrections)."""

    months: dict[str, int]
    tallies: Tallies


async def counted_before(connection: BaseDBAsyncClient, case: Case,
                         running_month: Period) -> Counted:
    """Call in the change's transaction, before the change."""
    months = await frozen_months_of(connection, case, running_month)
    tallies = await case_tallies(connection, case.id, months) if months else Tallies()
    return Counted(months, tallies)


async def record_corrections(connection: BaseDBAsyncClient, before: Counted, case: Case,
                             running_month: Period, now: dt.datetime) -> int:
    """After a change to a case (`case` as it is now, `before` from counted_before), what it
    no longer counts for in a frozen month is subtracted there and what it now counts for in
    one is added, as correction rows; how many rows."""
    after = await frozen_months_of(connection, case, running_month)
    if not before.months and not after:
        return 0
    later = await case_tallies(connection, case.id, after) if after else Tallies()
    per_month: dict[int, Tallies] = defaultdict(Tallies)
    for key, sums in before.tallies.rows.items():
        per_month[before.months[_side(key[0])]].add(key, [-value for value in sums])
    for key, sums in later.rows.items():
        per_month[after[_side(key[0])]].add(key, sums)
    rows: list[FrozenFigure] = []
    for month_id, part in per_month.items():
        part.names.update(later.names)
        rows += _rows(month_id, part, now, True)
    if rows:
        await FrozenFigure.bulk_create(rows, using_db=connection)
    return len(rows)
