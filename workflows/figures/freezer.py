"""Months are frozen in the background, so that no report pays for it: every `intake serve`
worker checks, now and then, for reporting months that ended more than a day ago and are not
frozen yet, and freezes them one per round (workflows.figures.frozen.freeze; a month another
worker froze first is left as it is), then adds up each quarter, half and year, and each of
the plans' reports' windows, whose months are all frozen (workflows.figures.blocks). `intake
demo` freezes the months it wrote into."""

from __future__ import annotations

import datetime as dt
import logging
from itertools import takewhile

from workflows.db.background import Repeating
from workflows.figures.blocks import blocks_to_make, make_block
from workflows.figures.frozen import FREEZE_AFTER, freeze
from workflows.figures.models import FrozenMonth
from workflows.figures.tallies import first_case_day
from workflows.reference.reporting import Period, ReportingCalendar

POLL_SECONDS = 3600.0  # a month ends once a month: an hour late is soon enough


async def months_to_freeze(calendar: ReportingCalendar, now: dt.datetime) -> list[Period]:
    """The ended reporting months since the first case that have no frozen figures yet,
    oldest first."""
    first = await first_case_day()
    if first is None:
        return []
    frozen = set(await FrozenMonth.filter(months=1).values_list("first_day", "last_day"))
    ended = takewhile(lambda month: month.end + FREEZE_AFTER <= now, calendar.months_from(first))
    return [month for month in ended if (month.first_day, month.last_day) not in frozen]


async def freeze_ended_months(calendar: ReportingCalendar, now: dt.datetime | None = None,
                              at_most: int | None = None) -> int:
    """Freeze the ended months not frozen yet, then add up the blocks they complete (`at_most`
    of both together); how many."""
    now = now or dt.datetime.now(dt.UTC)
    months = (await months_to_freeze(calendar, now))[:at_most]
    for month in months:
        await freeze(month, now)
    done, left = len(months), None if at_most is None else at_most - len(months)
    if left != 0:
        for block in (await blocks_to_make(calendar))[:left]:
            done += await make_block(block, calendar, now)
    return done


class MonthFreezer(Repeating):
    log = logging.getLogger("intake.figures")

    def __init__(self, calendar: ReportingCalendar, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__(poll_seconds)
        self.calendar = calendar

    async def run_once(self) -> int:
        """One month or block per round: a worker starting on a year of unfrozen months
        answers its requests between them."""
        return await freeze_ended_months(self.calendar, at_most=1)
