"""Queueing an SMS to a citizen in the outbox, in the transaction of the change that causes it,
unless a cap refuses it: a number's SMS of the day (of those anyone can set off), the month's
budget of parts (its last fifth kept for what staff cause), or a text too long. A refused SMS is kept as a row with status "refused" and its reason (which names the
setting), so that `intake outbox status` counts it; it is never sent.

The caps are read from the policy the service set at start (`use_sms_policy`): the callers —
the notifications — pass no settings.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Sum

from workflows.cases.models import Case
from workflows.cases.phones import stored_number
from workflows.i18n.formatting import VIETNAM
from workflows.mail.models import OutboxMessage
from workflows.mail.sms_text import encoding, sms_text

log = logging.getLogger("intake.outbox")
SMS = "sms"
REFUSED = "refused"
# Counted against the caps: what is queued or went out (a gateway's refusal cost nothing).
COUNTED = ("pending", "sent")
PER_NUMBER_DAILY = "INTAKE_SMS_PER_NUMBER_DAILY"
MONTHLY_PARTS = "INTAKE_SMS_MONTHLY_PARTS"
MAX_PARTS = "INTAKE_SMS_MAX_PARTS"
# Any constant: names the advisory lock that makes the caps' counts exact on PostgreSQL.
SMS_LOCK = 0x5E5_0001
# What anyone can set off — filing a report with a number, asking for a lost link — as against
# what staff cause (a question, the outcome): only these count against a number's daily cap,
# and they may not use the budget's last RESERVED share, so that a stranger texting a victim's
# number, or spending the month, never silences the agency's question to a real reporter.
SET_OFF_BY_ANYONE = frozenset({"citizen_ack", "reporter_link"})
RESERVED = 0.2
# The lengths a message's own words (a question, an outcome) are cut to, longest first, until
# the SMS fits in INTAKE_SMS_MAX_PARTS.
WORD_LIMITS = (160, 100, 60, 30, 0)


@dataclass(frozen=True)
class SmsPolicy:
    per_number_daily: int = 5  # SMS to one number per day (Vietnam time); 0: no cap
    monthly_parts: int = 3000  # parts per calendar month (Vietnam time); 0: no cap
    max_parts: int = 4  # parts one SMS may take
    accents: bool = False  # keep Vietnamese accents (UCS-2, 70 a part) or fold them


_policy = SmsPolicy()


def use_sms_policy(policy: SmsPolicy) -> None:
    """Set once at start, from the settings."""
    global _policy
    _policy = policy


def sms_policy() -> SmsPolicy:
    return _policy


def day_start(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(VIETNAM)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def month_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = now.astimezone(VIETNAM).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (local + dt.timedelta(days=32)).replace(day=1)
    return local.astimezone(dt.UTC), following.astimezone(dt.UTC)


async def parts_used(start: dt.datetime, end: dt.datetime,
                     connection: BaseDBAsyncClient | None = None) -> int:
    row = await (OutboxMessage.filter(channel=SMS, status__in=COUNTED, created_at__gte=start,
                                      created_at__lt=end).using_db(connection)
                 .annotate(total=Sum("sms_parts")).first().values("total"))
    return int(row["total"] or 0) if row else 0


async def _refusal(connection: BaseDBAsyncClient, policy: SmsPolicy, phone: str, kind: str,
                   parts: int, now: dt.datetime) -> str:
    """Why a cap refuses this SMS, naming the cap and its value; "" if none does."""
    if parts > policy.max_parts:
        return f"{MAX_PARTS}: the text takes {parts} parts, more than the limit of " \
               f"{policy.max_parts}"
    if connection.capabilities.dialect == "postgres":
        # Two changes texting at once would both count the budget's last parts as free; the
        # second waits here for the first to commit (SQLite's writers are one at a time).
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [SMS_LOCK])
    anyone = kind in SET_OFF_BY_ANYONE
    if policy.per_number_daily and anyone:
        start = day_start(now)
        today = await OutboxMessage.filter(
            channel=SMS, status__in=COUNTED, kind__in=SET_OFF_BY_ANYONE,
            recipient=phone, created_at__gte=start,
            created_at__lt=start + dt.timedelta(days=1),
        ).using_db(connection).count()
        if today >= policy.per_number_daily:
            return f"{PER_NUMBER_DAILY}: {today} SMS to this number today already, " \
                   f"the limit is {policy.per_number_daily}"
    if policy.monthly_parts:
        used = await parts_used(*month_window(now), connection)
        budget = policy.monthly_parts * (1 - RESERVED) if anyone else policy.monthly_parts
        if used + parts > budget:
            return f"{MONTHLY_PARTS}: {used} of the month's {policy.monthly_parts} parts " \
                   f"used, this SMS takes {parts}" + (
                       f" ({RESERVED:.0%} are kept for the agencies' messages)" if anyone else "")
    return ""


def fitting(render: Callable[[int], str]) -> str:
    """The text `render` gives for the longest of WORD_LIMITS that fits the SMS in the
    policy's parts (accents take more), else the shortest."""
    policy = sms_policy()
    text = ""
    for limit in WORD_LIMITS:
        text = render(limit)
        if encoding(sms_text(text, policy.accents)).parts <= policy.max_parts:
            return text
    return text


async def enqueue_sms(connection: BaseDBAsyncClient, *, event_key: str, kind: str, phone: str,
                      text: str, case: Case | None = None,
                      now: dt.datetime | None = None) -> OutboxMessage | None:
    """Queue one SMS inside the caller's transaction; the event key must be new. `phone` is
    stored as libphonenumber writes it (workflows.cases.phones), so that one number's cap
    counts it however it was typed ("+84 905…", "0905…"). None when a cap refuses it: then it
    is recorded as refused, counted, and never sent."""
    now = now or dt.datetime.now(dt.UTC)
    phone = stored_number(phone) or phone
    policy = sms_policy()
    body = sms_text(text, policy.accents)
    parts = encoding(body).parts
    refusal = await _refusal(connection, policy, phone, kind, parts, now)
    message = await OutboxMessage.create(
        using_db=connection, channel=SMS, event_key=event_key, kind=kind, case=case,
        recipient=phone, subject="", body_text=body, body_html="", sms_parts=parts,
        status=REFUSED if refusal else "pending", last_error=refusal, next_attempt_at=now,
        created_at=now)
    if refusal:
        # Never the number: the log may be read by more people than the database.
        log.warning("SMS %s (%s) not queued: %s", message.id, kind, refusal)
        return None
    return message
