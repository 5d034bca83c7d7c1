"""The alarm to the audit log's witnesses (config/audit.toml) when its sequencer refuses to go on
(workflows.audit.heads): a tree that does not extend the last checkpoint it signed, or an event
dated before what came before it. Each witness gets one alarm per fault, however often the
sequencer finds it again (the event key names the fault), with the last good checkpoint to keep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.audit.heads import Refusal
from workflows.mail.models import OutboxMessage
from workflows.mail.notifications import AGENCY_LANGUAGE, Notifier
from workflows.mail.outbox import enqueue

KIND = "log_alarm"


def alarm_key(refusal: Refusal, recipient: str) -> str:
    return f"{KIND}:{refusal.key}:{recipient}"


async def queue_log_alarm(notifier: Notifier, refusal: Refusal) -> int:
    """Queue the alarm for each witness not yet sent this one; how many were queued."""
    queued = 0
    for recipient in notifier.reference.witnesses.recipients(notifier.agencies.values()):
        key = alarm_key(refusal, recipient)
        if await OutboxMessage.exists(event_key=key):
            continue
        mail = notifier.renderer.render(KIND, AGENCY_LANGUAGE, {
            "refusal": refusal, "head": refusal.head, "now": dt.datetime.now(dt.UTC)})
        try:
            async with in_transaction() as connection:
                await enqueue(connection, event_key=key, kind=KIND, recipient=recipient,
                              mail=mail)
            queued += 1
        except IntegrityError:
            pass  # another worker's sequencer queued it first
    return queued


class LogAlarm:
    """What the serve loop's sequencer calls on a refusal: queue, then wake the sender."""

    def __init__(self, notifier: Notifier, wake: Callable[[], None]) -> None:
        self.notifier = notifier
        self.wake = wake

    async def __call__(self, refusal: Refusal) -> int:
        queued = await queue_log_alarm(self.notifier, refusal)
        if queued:
            self.wake()
        return queued
