"""Frozen blocks: a whole quarter, half or year of the reporting calendar, or the window of one
of the plans' reports (config/reporting.toml: the yearly report's fifteenth of December to
fourteenth of November), whose months are all frozen, their figures added up once by the
database and kept as one more frozen "month" of several months (FrozenMonth.months). A report
covers its ended months with the largest blocks it finds, then single months
(workflows.figures.frozen): at 100,000 cases a year's report adds some 11,000 rows of last
year's block instead of its twelve months' 54,000, and the plans' yearly report one block
instead of a half, a quarter and two months for each of its two years.

A block stays true as its months do: a later change to one of its cases is corrected in the
month and in every block that holds it, in the change's own transaction (frozen.
record_corrections). It is made under the same lock as a month is frozen, so no correction
falls between the months' rows it adds up and its own.
"""

from __future__ import annotations

import datetime as dt
from itertools import takewhile

from tortoise.transactions import in_transaction

from workflows.db.sql import numbered_marks
from workflows.figures.frozen import freezing_lock
from workflows.figures.models import FrozenMonth
from workflows.reference.reporting import (
    Period,
    ReportingCalendar,
    parse_period,
    report_period,
)

BLOCK_KINDS = ("year", "half", "quarter")  # largest first


def blocks_of(month: Period, calendar: ReportingCalendar) -> list[Period]:
    """The calendar's year, half and quarter that hold a reporting month, and the windows of
    the plans' reports that hold it and are whole reporting months (two months at least)."""
    year, number = int(month.label[:4]), int(month.label[5:7])
    labels = {"year": str(year + 1 if number > calendar.year_end_month else year),
              "half": f"{year}-H{(number + 5) // 6}", "quarter": f"{year}-Q{(number + 2) // 3}"}
    blocks = [parse_period(labels[kind], calendar.cutoff_day, calendar.year_end_month)
              for kind in BLOCK_KINDS]
    days = {(block.first_day, block.last_day) for block in blocks}
    for report in calendar.reports.values():
        for window in (report_period(report, year), report_period(report, year + 1)):
            if (window.first_day <= month.first_day and month.last_day <= window.last_day
                    and (window.first_day, window.last_day) not in days
                    and _spans_whole_months(window, calendar)):
                days.add((window.first_day, window.last_day))
                blocks.append(window)
    return blocks


def _spans_whole_months(window: Period, calendar: ReportingCalendar) -> bool:
    """Whether a window begins and ends with reporting months, and holds more than one."""
    first, last = calendar.month(window.first_day), calendar.month(window.last_day)
    return (first.first_day == window.first_day and last.last_day == window.last_day
            and first != last)


def months_of(block: Period, calendar: ReportingCalendar) -> list[Period]:
    return list(takewhile(lambda month: month.first_day <= block.last_day,
                          calendar.months_from(block.first_day)))


async def blocks_to_make(calendar: ReportingCalendar) -> list[Period]:
    """The calendar's quarters, halves and years, and the plans' reports' windows, whose
    months are all frozen and that are not added up yet, oldest first."""
    kept = await FrozenMonth.all().values_list("first_day", "last_day", "months")
    months = {(first, last) for first, last, count in kept if count == 1}
    made = {(first, last) for first, last, count in kept if count > 1}
    wanted: dict[tuple[dt.date, dt.date], Period] = {}
    for first, last in sorted(months):
        for block in blocks_of(calendar.month(first), calendar):
            days = (block.first_day, block.last_day)
            if block.last_day == last and days not in made and all(
                    (month.first_day, month.last_day) in months
                    for month in months_of(block, calendar)):
                wanted[days] = block
    return sorted(wanted.values(), key=lambda block: (block.last_day, block.first_day))


async def make_block(block: Period, calendar: ReportingCalendar, now: dt.datetime) -> bool:
    """Add up a block's frozen months into the block, once; False if it was made already or
    one of its months is not frozen (any more)."""
    months = months_of(block, calendar)
    async with in_transaction() as connection:
        await freezing_lock(connection, shared=False)
        kept = await FrozenMonth.filter(
            first_day__gte=block.first_day, last_day__lte=block.last_day).using_db(
            connection).values_list("id", "first_day", "last_day", "months")
        ids = {(first, last): month_id for month_id, first, last, count in kept if count == 1}
        # Its very months, not as many of another cut-off day's (a worker not yet restarted
        # on a changed calendar may have frozen those meanwhile).
        if any(count > 1 and (first, last) == (block.first_day, block.last_day)
               for _, first, last, count in kept) or set(ids) != {
                (month.first_day, month.last_day) for month in months}:
            return False
        made = await FrozenMonth.create(using_db=connection, first_day=block.first_day,
                                        last_day=block.last_day, frozen_at=now,
                                        months=len(months))
        places = numbered_marks(connection.capabilities.dialect, len(ids))
        await connection.execute_query(
            "INSERT INTO frozen_figure (month_id, measure, agency, key1, key2, name, n, fines, "
            "quantity, value, correction, recorded_at) "
            f"SELECT {int(made.id)}, measure, agency, key1, key2, MAX(name), SUM(n), "
            "SUM(fines), SUM(quantity), SUM(value), FALSE, "
            f"(SELECT frozen_at FROM frozen_month WHERE id = {int(made.id)}) "
            f"FROM frozen_figure WHERE month_id IN ({', '.join(places)}) "
            "GROUP BY measure, agency, key1, key2 "
            "HAVING SUM(n) <> 0 OR SUM(fines) <> 0 OR SUM(quantity) <> 0 OR SUM(value) <> 0",
            list(ids.values()))
    return True
