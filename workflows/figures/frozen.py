"""Frozen months: a reporting month's tallies (workflows.figures.tallies), counted once it has
ended and kept (FrozenMonth, FrozenFigure), so that a year's report adds twelve months of rows
instead of counting a year of cases; the days no frozen month covers (the month still running,
the edges of a range of dates) are counted live.

A month is frozen a day after it ends, so that no change begun before its end (a transition
that read the clock at 23:59, a worker's clock a little behind) can still land in it. A later
change to a frozen month's case is recorded as a correction, in the change's own transaction
(`counted_before`, `record_corrections`): frozen rows never move, and the report agrees with
a count of the cases. Freezing and corrections exclude each other: on PostgreSQL by an
advisory lock (exclusive to freeze, shared to correct), on SQLite by its write lock. Only one
calendar's months are kept: freezing a month drops the frozen months it overlaps (another
cut-off day's), which no correction would follow.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import takewhile

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from workflows.cases.models import Case
from workflows.db.sql import numbered_marks
from workflows.figures.models import FrozenFigure, FrozenMonth
from workflows.figures.tallies import Tallies, case_tallies, count_live, first_case_day, side_of
from workflows.i18n.formatting import VIETNAM
from workflows.reference.reporting import Period, ReportingCalendar

LOCK_KEY = 0x1A7A_F16E  # PostgreSQL: freezing a month excludes corrections meanwhile
FREEZE_AFTER = dt.timedelta(days=1)  # longer than any transaction, and any clock's drift


async def freezing_lock(connection: BaseDBAsyncClient, shared: bool) -> None:
    """Freezing a month or adding up a block (exclusive) against corrections (shared)."""
    if connection.capabilities.dialect == "postgres":
        kind = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        await connection.execute_query(f"SELECT {kind}({LOCK_KEY})")


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(VIETNAM).date() if moment else None


def _whole_months(period: Period, calendar: ReportingCalendar, now: dt.datetime,
                  first_case_day: dt.date | None) -> list[Period]:
    """The reporting months inside the period that a frozen month serves: ended a day ago,
    and not before the first case (nothing to count there)."""
    if first_case_day is None:
        return []
    ended = takewhile(lambda month: month.first_day <= period.last_day
                      and month.end + FREEZE_AFTER <= now,
                      calendar.months_from(max(period.first_day, first_case_day)))
    return [month for month in ended
            if month.first_day >= period.first_day and month.last_day <= period.last_day]


def _rows(month_id: int, tallies: Tallies, now: dt.datetime,
          correction: bool) -> list[FrozenFigure]:
    return [FrozenFigure(month_id=month_id, measure=key[0], agency=key[1], key1=key[2],
                         key2=key[3], name=tallies.names.get(key[1:], "")
                         if key[0] == "shop" else "", n=sums[0], fines=sums[1],
                         quantity=sums[2], value=sums[3], correction=correction,
                         recorded_at=now)
            for key, sums in tallies.rows.items() if any(sums)]


async def _drop(connection: BaseDBAsyncClient, months: Q) -> None:
    ids = await FrozenMonth.filter(months).using_db(connection).values_list("id", flat=True)
    if ids:
        await FrozenFigure.filter(month_id__in=ids).using_db(connection).delete()
        await FrozenMonth.filter(id__in=ids).using_db(connection).delete()


async def freeze(month: Period, now: dt.datetime) -> int:
    """Count an ended month's cases and freeze the rows; the frozen month's id (another
    worker's, if it froze the month first)."""
    async with in_transaction() as connection:
        await freezing_lock(connection, shared=False)
        found = await FrozenMonth.filter(first_day=month.first_day, last_day=month.last_day
                                         ).using_db(connection).first()
        if found:
            return found.id
        await _drop(connection, Q(first_day__lte=month.last_day, last_day__gte=month.first_day))
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
        await freezing_lock(connection, shared=False)
        await _drop(connection, Q(id__gte=0))


async def _frozen(month_ids: list[int], agency_code: str | None) -> Tallies:
    """The frozen months' rows added up by the database. Fixed SQL: a year holds some 100,000
    rows at 100,000 cases, and the ORM converting each value of their sums took as long as the
    database adding them. PostgreSQL's SUM of bigints is a numeric, which asyncpg reads as a
    Decimal: cast back, it is read as fast as an int."""
    tallies = Tallies()
    if not month_ids:
        return tallies
    client = FrozenFigure._meta.db
    values: list[object] = [*month_ids, *([agency_code] if agency_code else [])]
    places = numbered_marks(client.capabilities.dialect, len(values))
    agency = f" AND agency = {places.pop()}" if agency_code else ""
    _, rows = await client.execute_query(
        "SELECT measure, agency, key1, key2, CAST(SUM(n) AS BIGINT), "
        "CAST(SUM(fines) AS BIGINT), CAST(SUM(quantity) AS BIGINT), "
        "CAST(SUM(value) AS BIGINT), MAX(name) "
        f"FROM frozen_figure WHERE month_id IN ({', '.join(places)}){agency} "
        "GROUP BY measure, agency, key1, key2", values)
    # One row per key (GROUP BY): each is set, not added to.
    sums, names = tallies.rows, tallies.names
    for measure, agency, key1, key2, n, fines, quantity, value, name in rows:
        sums[(measure, agency, key1, key2)] = [int(n), int(fines), int(quantity), int(value)]
        if measure == "shop" and name:
            names[(agency, key1, key2)] = name
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


async def covering_ids(months: list[Period], now: dt.datetime) -> list[int]:
    """The frozen rows' ids that add up to the months: the longest block (a whole quarter,
    half or year, or a report's window, workflows.figures.blocks) starting at each month that
    ends with one of them, else the month itself, freezing it if it is not frozen yet (a read
    when all are)."""
    if not months:
        return []
    kept = await FrozenMonth.filter(first_day__gte=months[0].first_day,
                                    last_day__lte=months[-1].last_day).values_list(
        "id", "first_day", "last_day", "months")
    single = {(first, last): month_id for month_id, first, last, count in kept if count == 1}
    ends = {month.last_day: position for position, month in enumerate(months)}
    blocks = {first: (last, block_id) for block_id, first, last, count in sorted(
        kept, key=lambda row: row[2]) if count > 1 and last in ends}  # the longest kept
    ids, position = [], 0
    while position < len(months):
        month = months[position]
        if month.first_day in blocks:
            last, block_id = blocks[month.first_day]
            ids.append(block_id)
            position = ends[last] + 1
        else:
            ids.append(single.get((month.first_day, month.last_day))
                       or await freeze(month, now))
            position += 1
    return ids


async def period_tallies(period: Period, agency_code: str | None = None,
                         calendar: ReportingCalendar | None = None,
                         now: dt.datetime | None = None) -> Tallies:
    """The period's rows: its ended reporting months from their frozen figures (freezing any
    not frozen yet), the rest counted live. Without a calendar, all of it counted live."""
    if calendar is None:
        return await count_live(period.start, period.end, agency_code)
    now = now or dt.datetime.now(dt.UTC)
    months = _whole_months(period, calendar, now, await first_case_day())
    tallies = await _frozen(await covering_ids(months, now), agency_code)
    for start, end in _uncovered(period, months):
        tallies.merge(await count_live(start, end, agency_code))
    return tallies


def _past_days(case: Case, running_month: Period) -> dict[str, dt.date]:
    """The days a case was received and resolved on ("received", "resolved" -> day), those
    before the running month: only they can fall in a frozen month."""
    days = {"received": _day(case.created_at), "resolved": _day(case.resolved_at)}
    return {side: day for side, day in days.items()
            if day is not None and day < running_month.first_day}


async def frozen_months_of(connection: BaseDBAsyncClient, past: dict[str, dt.date],
                           ) -> dict[str, list[int]]:
    """The frozen months and blocks holding those days (side -> their ids), once any month
    being frozen or block being made is done. Nothing to look up for a case of the running
    month."""
    if not past:
        return {}
    await freezing_lock(connection, shared=True)
    query = Q(*[Q(first_day__lte=day, last_day__gte=day) for day in past.values()],
              join_type="OR")
    found = await FrozenMonth.filter(query).using_db(connection).order_by("id").values_list(
        "id", "first_day", "last_day")
    holding = {side: [month_id for month_id, first, last in found if first <= day <= last]
               for side, day in past.items()}
    return {side: ids for side, ids in holding.items() if ids}


@dataclass(frozen=True)
class Counted:
    """What a case counted for in frozen months before a change (see record_corrections)."""

    days: dict[str, dt.date]
    months: dict[str, list[int]]  # side -> the frozen months and blocks holding its day
    tallies: Tallies


async def counted_before(connection: BaseDBAsyncClient, case: Case,
                         running_month: Period) -> Counted:
    """Call in the change's transaction, before the change."""
    days = _past_days(case, running_month)
    months = await frozen_months_of(connection, days)
    tallies = await case_tallies(connection, case.id, months) if months else Tallies()
    return Counted(days, months, tallies)


async def record_corrections(connection: BaseDBAsyncClient, before: Counted, case: Case,
                             running_month: Period, now: dt.datetime) -> int:
    """After a change to a case (`case` as it is now, `before` from counted_before), what it
    no longer counts for in a frozen month is subtracted there and what it now counts for in
    one is added, as correction rows; how many rows."""
    days = _past_days(case, running_month)
    after = before.months if days == before.days else await frozen_months_of(connection, days)
    if not before.months and not after:
        return 0
    later = await case_tallies(connection, case.id, after) if after else Tallies()
    per_month: dict[int, Tallies] = defaultdict(Tallies)
    for key, sums in before.tallies.rows.items():
        for month_id in before.months[side_of(key[0])]:
            per_month[month_id].add(key, [-value for value in sums])
    for key, sums in later.rows.items():
        for month_id in after[side_of(key[0])]:
            per_month[month_id].add(key, sums)
    rows: list[FrozenFigure] = []
    for month_id, part in per_month.items():
        part.names.update(later.names)
        rows += _rows(month_id, part, now, True)
    if rows:
        await FrozenFigure.bulk_create(rows, using_db=connection)
    return len(rows)
