"""Writing each message's result down the moment the channel knows it.

A result that is only in memory is lost with the process, and its message is sent again when
the lease ends; so a conversation sends its next message only once its last result is written.
At any moment each conversation holds at most one message delivered and not written down: a
crash sends at most `Channel.conversations` messages twice (per sender, i.e. per worker).
Each conversation writes its own results, concurrently with the others: PostgreSQL flushes
commits that arrive together at once, and gathering them here first measured slower.

While the database refuses (PostgreSQL stopped or restarting, SQLite locked by another
writer), a result is kept and written again, with growing pauses, until the lease is over;
its conversation waits meanwhile, so an outage holds mail back instead of piling up results
that only memory knows. Past the lease, another sender may send that message again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time

from workflows.db.errors import DATABASE_UNAVAILABLE
from workflows.mail.channel import DeliveryResult
from workflows.mail.models import OutboxMessage
from workflows.mail.outbox import RetryPolicy, record_results

log = logging.getLogger("intake.outbox")
FIRST_PAUSE = 0.25  # seconds before writing a result again, doubling
LONGEST_PAUSE = 4.0
# No message is started in the last fifth of the lease: it could still be in flight when the
# lease ends and another sender takes it.
STARTS_WITHIN = 0.8


class Claim:
    """A batch held under a lease: until when its messages may be started, and the writing of
    each one's result. Made before the claim is taken, so its clock runs a little early."""

    def __init__(self, lease: dt.timedelta, policy: RetryPolicy) -> None:
        taken = time.monotonic()
        self.policy = policy
        self.lease_ends = taken + lease.total_seconds()
        self.last_start = taken + STARTS_WITHIN * lease.total_seconds()

    def may_start_another(self) -> bool:
        return time.monotonic() < self.last_start

    async def record(self, message: OutboxMessage, result: DeliveryResult) -> bool:
        """Write `result` down, trying again while the database refuses. False when it could
        not be written before the lease ends: the conversation must stop, and the message
        will be sent again by whoever claims it next."""
        pause = FIRST_PAUSE
        while True:
            try:
                await record_results([(message, result)], self.policy)
                return True
            except DATABASE_UNAVAILABLE as refused:
                if time.monotonic() + pause >= self.lease_ends:
                    log.error("outbox message %d: %s, but the database stayed unreachable "
                              "until its lease ended; it will be sent again (%s)", message.id,
                              result.outcome.value, refused)
                    return False
                log.warning("outbox message %d: %s; writing it down again in %.2g s: %s",
                            message.id, result.outcome.value, pause, refused)
                await asyncio.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
