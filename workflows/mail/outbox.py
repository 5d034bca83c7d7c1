"""The durable email queue: messages are written with the change that causes them, claimed by a
sender under a lease, and each marked sent, retried later with backoff, or failed as soon as
its result is known.

Claims are safe with several senders on one database: PostgreSQL skips rows another sender has
locked (FOR UPDATE SKIP LOCKED), and the claim itself is a conditional UPDATE, so two senders
never both own a row. A sender that dies leaves its rows to be claimed again when the lease
ends (`INTAKE_OUTBOX_LEASE_SECONDS`): only those whose result it had not written yet.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import secrets
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from workflows.cases.alerts import flag_undelivered
from workflows.cases.models import Case
from workflows.mail.answering import Answerer
from workflows.mail.channel import DeliveryResult, Outcome
from workflows.mail.kinds import OUTSIDE_KINDS
from workflows.mail.models import OutboxMessage
from workflows.mail.rendering import RenderedMail

LEASE = dt.timedelta(minutes=5)
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
ERROR_TEXT_LIMIT = 1000


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    first_delay: dt.timedelta = FIRST_RETRY
    longest_delay: dt.timedelta = LONGEST_RETRY

    def delay(self, attempts: int) -> dt.timedelta:
        """Exponential, capped, with ±50% jitter so that a recovering server is not stampeded."""
        base = min(self.first_delay * (1 << max(attempts - 1, 0)), self.longest_delay)
        return base * random.uniform(0.5, 1.5)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def enqueue(
    connection: BaseDBAsyncClient,
    *,
    event_key: str,
    kind: str,
    recipient: str,
    mail: RenderedMail,
    case: Case | None = None,
    attachment: tuple[str, bytes] | None = None,
    answered_by: Answerer | None = None,
) -> OutboxMessage:
    """Queue one message inside the caller's transaction. The event key must be new.
    `attachment`: a file name and its bytes, sent with it. `answered_by`: the From's name and
    the Reply-To of a mail sent outside the agencies."""
    return await OutboxMessage.create(
        using_db=connection,
        event_key=event_key,
        kind=kind,
        case=case,
        recipient=recipient,
        subject=mail.subject,
        body_text=mail.text,
        body_html=mail.html,
        attachment_name=attachment[0] if attachment else "",
        attachment=attachment[1] if attachment else None,
        from_name=answered_by.name if answered_by else "",
        reply_to=answered_by.address if answered_by else "",
        next_attempt_at=_now(),
    )


def _claimable(now: dt.datetime, channel: str) -> Q:
    return Q(status="pending", channel=channel, next_attempt_at__lte=now) & (
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )


async def claim_batch(limit: int, lease: dt.timedelta = LEASE,
                      channel: str = "mail") -> list[OutboxMessage]:
    """Take up to `limit` due messages of one channel for this sender, under a lease."""
    now, token = _now(), secrets.token_hex(16)
    async with in_transaction() as connection:
        query = OutboxMessage.filter(_claimable(now, channel)).order_by("id").limit(
            limit).using_db(connection)
        if connection.capabilities.dialect == "postgres":
            query = query.select_for_update(skip_locked=True)
        ids = await query.values_list("id", flat=True)
        if not ids:
            return []
        await OutboxMessage.filter(_claimable(now, channel), id__in=ids).using_db(
            connection).update(lease_until=now + lease, claim_token=token,
                               claims=F("claims") + 1)
    return await OutboxMessage.filter(claim_token=token, status="pending").order_by("id")


async def record_results(results: list[tuple[OutboxMessage, DeliveryResult]],
                         policy: RetryPolicy) -> None:
    """Write what happened to claimed messages, at once: the sent ones in one UPDATE (alone,
    the usual case, it needs no transaction around it), the others one by one, all in one
    transaction. Writing the same results twice (the database's answer was lost, the sender
    asks again) changes nothing more."""
    now = _now()
    sent = [message.id for message, result in results if result.outcome is Outcome.SENT]
    unsent = [(message, result) for message, result in results
              if result.outcome is not Outcome.SENT]
    if not unsent:
        await _mark_sent(sent, now, None)
        return
    async with in_transaction() as connection:
        for message, result in unsent:
            await _record_unsent(connection, message, result, policy, now)
        await _mark_sent(sent, now, connection)


async def _mark_sent(ids: list[int], now: dt.datetime,
                     connection: BaseDBAsyncClient | None) -> None:
    # Sent is a fact, whoever holds the claim by now: written after the lease ran out and
    # another sender took the message, it still spares the message a third sending.
    if ids:
        await OutboxMessage.filter(id__in=ids, status="pending").using_db(connection).update(
            status="sent", attempts=F("attempts") + 1, sent_at=now, lease_until=None,
            last_error="")


async def _record_unsent(connection: BaseDBAsyncClient, message: OutboxMessage,
                         result: DeliveryResult, policy: RetryPolicy, now: dt.datetime) -> None:
    """A retry later, or a failure; a final failure of an agency alert flags the case, so
    that an officer phones the agency instead. A late one (the lease ran out, another sender
    took the message) overwrites nothing."""
    attempts = message.attempts + 1
    mine = OutboxMessage.filter(id=message.id, claim_token=message.claim_token,
                                status="pending").using_db(connection)
    detail = result.detail[:ERROR_TEXT_LIMIT]
    if result.outcome is Outcome.RETRY and attempts < policy.max_attempts:
        await mine.update(attempts=attempts, last_error=detail, lease_until=None,
                          next_attempt_at=now + policy.delay(attempts))
        return
    updated = await mine.update(status="failed", attempts=attempts, last_error=detail,
                                lease_until=None,
                                permanent_failure=result.outcome is Outcome.REFUSED)
    if updated and message.kind == "agency_alert" and message.case_id:  # type: ignore[attr-defined]
        await flag_undelivered(connection, message.case_id,  # type: ignore[attr-defined]
                               message.recipient, detail)


async def release(claim_token: str) -> None:
    """Give back the messages of a claim that were never started (the sender stops, or its
    lease is nearly over), so that the next round takes them without waiting for the lease."""
    await OutboxMessage.filter(claim_token=claim_token, status="pending").update(lease_until=None)


# A message is stuck when senders claimed it this many times more than they recorded an
# outcome (each crashed or hung on it), or when it has been due this long and nobody sent it.
STUCK_CLAIMS = 3
STUCK_OVERDUE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class StuckMessage:
    id: int
    kind: str
    case_code: str  # never the recipient: that may be a citizen's address
    claims: int
    attempts: int
    due_since: dt.datetime


@dataclass(frozen=True)
class OutboxStatus:
    pending: int
    sent: int
    failed: int
    last_error: str
    stuck: list[StuckMessage]
    # Of the failed, those to citizens: a mistyped reporter address is the citizen's to fix
    # (the case carries a flag for the inspector), not a reason to wake an operator.
    failed_to_citizens: int = 0

    @property
    def healthy(self) -> bool:
        """What a monitor pages on: no alert to an agency failed, nothing stuck."""
        return self.failed == self.failed_to_citizens and not self.stuck


async def stuck_messages(now: dt.datetime | None = None, limit: int = 50) -> list[StuckMessage]:
    now = now or _now()
    rows = await (OutboxMessage.filter(status="pending")
                  .filter(Q(claims__gte=F("attempts") + STUCK_CLAIMS)
                          | Q(next_attempt_at__lt=now - STUCK_OVERDUE))
                  .order_by("id").limit(limit).select_related("case"))
    return [StuckMessage(row.id, row.kind, row.case.tracking_code if row.case else "",
                         row.claims, row.attempts, row.next_attempt_at) for row in rows]


# A mail server's refusal often quotes the recipient: a citizen's address stays out of what
# an operator's terminal (or a monitor's log) shows.
_ADDRESS = re.compile(r"[^\s<>@]+@[^\s<>@]+")
# Mail to people outside the agencies (workflows.mail.kinds): its failure pages nobody and its
# address is never printed.
CITIZEN_KINDS = OUTSIDE_KINDS


def _printable(message: OutboxMessage) -> str:
    if message.kind in CITIZEN_KINDS:
        return _ADDRESS.sub("<address>", message.last_error)
    return message.last_error


async def outbox_status() -> OutboxStatus:
    """The mail's (SMS: workflows.mail.sms_status); stuck messages of either."""
    mail = OutboxMessage.filter(channel="mail")
    counts = dict(await mail.annotate(count=Count("id")).group_by("status").values_list(
        "status", "count"))
    last_failure = await mail.exclude(last_error="").order_by("-id").first()
    return OutboxStatus(
        pending=counts.get("pending", 0),
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0),
        failed_to_citizens=await mail.filter(status="failed", kind__in=CITIZEN_KINDS).count(),
        last_error=(f"message {last_failure.id} ({last_failure.kind}): "
                    f"{_printable(last_failure)}") if last_failure else "",
        stuck=await stuck_messages(),
    )


async def requeue_failed(message_ids: list[int] | None = None) -> int:
    """Give failed messages a fresh set of attempts, now."""
    failed = OutboxMessage.filter(status="failed")
    if message_ids:
        failed = failed.filter(id__in=message_ids)
    return await failed.update(status="pending", attempts=0, next_attempt_at=_now(),
                               lease_until=None, permanent_failure=False)
