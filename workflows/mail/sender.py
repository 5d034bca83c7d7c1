"""The background sender: claim due messages of its channel (mail, SMS), deliver them over the
channel's conversations, write down each one's result as soon as it is known, repeat.

It runs inside every `intake serve` worker (and alone as `intake outbox run`), one per channel;
claims keep several of them from sending one message twice. Nothing is sent inside a
transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing

from workflows.access.limits import purge_stale
from workflows.cases.repeats import forget_stale
from workflows.db.background import Repeating
from workflows.mail.channel import Channel, DeliveryResult, Outcome
from workflows.mail.digests import queue_due_checkpoints, queue_due_digests
from workflows.mail.models import OutboxMessage
from workflows.mail.notifications import Notifier
from workflows.mail.outbox import LEASE, RetryPolicy, claim_batch, release
from workflows.mail.recording import Claim
from workflows.mail.reminders import queue_due_report_reminders

log = logging.getLogger("intake.outbox")
DIGEST_CHECK_INTERVAL = dt.timedelta(minutes=1)
PER_CONNECTION = 50


class OutboxSender(Repeating):
    log = log

    def __init__(
        self,
        channel: Channel,
        policy: RetryPolicy,
        notifier: Notifier,
        *,
        digest_hour: int | None,
        lease: dt.timedelta = LEASE,
        batch_size: int | None = None,  # default: 50 per conversation
        poll_seconds: float = 2.0,
        housekeeping: bool = True,
    ) -> None:
        self.channel = channel
        self.policy = policy
        self.notifier = notifier
        self.digest_hour = digest_hour
        # The scheduled mail and the purges: one sender of a worker does them (the mail one),
        # the others only deliver.
        self.housekeeping = housekeeping
        self.lease = lease
        # Each connection sends at most 50 of a batch, as one connection did: a slow server
        # still finishes them well within the default lease (a conversation starts no
        # message late in the lease anyway).
        self.batch_size = batch_size or PER_CONNECTION * channel.conversations
        super().__init__(poll_seconds)
        self._next_digest_check = dt.datetime.min.replace(tzinfo=dt.UTC)

    async def run_once(self) -> int:
        """Deliver one batch of due messages; returns how many were attempted."""
        now = dt.datetime.now(dt.UTC)
        if self.housekeeping and now >= self._next_digest_check:
            self._next_digest_check = now + DIGEST_CHECK_INTERVAL
            if self.digest_hour is not None:
                await queue_due_digests(self.notifier, self.digest_hour, now)
                await queue_due_checkpoints(self.notifier, self.digest_hour, now)
                await queue_due_report_reminders(self.notifier, self.digest_hour, now)
            # Housekeeping: counters a day past their window, filings past their retry window.
            await purge_stale(now)
            await forget_stale(now)
        claim = Claim(self.lease, self.policy)
        batch = await claim_batch(self.batch_size, self.lease, self.channel.name)
        if not batch:
            return 0
        count = self.channel.conversations
        async with asyncio.TaskGroup() as conversations:  # a bug in one stops them all
            for start in range(min(count, len(batch))):
                # In turn, not by mailbox: most alerts go to a handful of agencies' mailboxes.
                conversations.create_task(self._converse(batch[start::count], claim))
        await release(batch[0].claim_token)
        return len(batch)

    async def _converse(self, messages: list[OutboxMessage], claim: Claim) -> None:
        """One conversation; each result is written down before the next message goes."""
        async with aclosing(self._results(messages)) as results:
            async for message, result in results:
                if not await claim.record(message, result):
                    return
                if self._stopping or not claim.may_start_another():
                    return  # the rest are released for the next round

    async def _results(self, messages: list[OutboxMessage],
                       ) -> AsyncGenerator[tuple[OutboxMessage, DeliveryResult], None]:
        """The channel's results, and a retry for each message left when a conversation fails
        in a way not foreseen (the other conversations go on)."""
        given = 0
        try:
            async with aclosing(self.channel.conversation(messages)) as results:
                async for answered in results:
                    given += 1
                    yield answered
        except Exception as error:
            log.exception("a conversation failed; its messages are tried again later")
            failure = DeliveryResult(Outcome.RETRY, f"{type(error).__name__}: {error}")
            for message in messages[given:]:
                yield message, failure

    async def run_until_idle(self) -> int:
        """Deliver everything due now; for `intake outbox run --once` and for tests."""
        total = 0
        while attempted := await self.run_once():
            total += attempted
        return total
