"""The background sender: claim due messages, deliver them, record what happened, repeat.

It runs inside every `intake serve` worker (and alone as `intake outbox run`); claims keep
several of them from sending one message twice. Mail is never sent inside a transaction.
"""

from __future__ import annotations

import datetime as dt
import logging

from workflows.access.limits import purge_stale
from workflows.cases.repeats import forget_stale
from workflows.db.background import Repeating
from workflows.mail.digests import queue_due_checkpoints, queue_due_digests
from workflows.mail.notifications import Notifier
from workflows.mail.outbox import RetryPolicy, claim_batch, record_results
from workflows.mail.reminders import queue_due_report_reminders
from workflows.mail.smtp import SmtpSender

log = logging.getLogger("intake.outbox")
DIGEST_CHECK_INTERVAL = dt.timedelta(minutes=1)
PER_CONNECTION = 50


class OutboxSender(Repeating):
    log = log

    def __init__(
        self,
        sender: SmtpSender,
        policy: RetryPolicy,
        notifier: Notifier,
        *,
        digest_hour: int | None,
        batch_size: int | None = None,  # default: 50 per SMTP connection, within the lease
        poll_seconds: float = 2.0,
    ) -> None:
        self.sender = sender
        self.policy = policy
        self.notifier = notifier
        self.digest_hour = digest_hour
        # Each connection sends at most 50 of a batch, as one connection did: a slow server
        # still finishes them well within the claim's lease.
        self.batch_size = batch_size or PER_CONNECTION * max(1, sender.config.connections)
        super().__init__(poll_seconds)
        self._next_digest_check = dt.datetime.min.replace(tzinfo=dt.UTC)

    async def run_once(self) -> int:
        """Deliver one batch of due messages; returns how many were attempted."""
        now = dt.datetime.now(dt.UTC)
        if now >= self._next_digest_check:
            self._next_digest_check = now + DIGEST_CHECK_INTERVAL
            if self.digest_hour is not None:
                await queue_due_digests(self.notifier, self.digest_hour, now)
                await queue_due_checkpoints(self.notifier, self.digest_hour, now)
                await queue_due_report_reminders(self.notifier, self.digest_hour, now)
            # Housekeeping: counters a day past their window, filings past their retry window.
            await purge_stale(now)
            await forget_stale(now)
        batch = await claim_batch(self.batch_size)
        if not batch:
            return 0
        results = await self.sender.deliver(batch)
        await record_results(batch, results, self.policy)
        return len(batch)

    async def run_until_idle(self) -> int:
        """Deliver everything due now; for `intake outbox run --once` and for tests."""
        total = 0
        while attempted := await self.run_once():
            total += attempted
        return total
