"""The daily mail: the digest of overdue cases, for each lead of each agency, and the audit
log's checkpoint, for each witness; queued once a day after a set hour (Asia/Ho_Chi_Minh). Any
number of senders may call this: the event keys let only one row exist per day and recipient."""

from __future__ import annotations

import datetime as dt

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.access.roles import LEAD
from workflows.audit.sequencer import latest_checkpoint
from workflows.cases.deadlines import explanation_late_condition, past_due_condition
from workflows.cases.models import Case
from workflows.i18n.formatting import VIETNAM
from workflows.mail.models import OutboxMessage
from workflows.mail.notifications import Notifier, checkpoint_key, digest_key
from workflows.reference.agencies import Agency

DIGEST_LIMIT = 500  # cases listed in one digest; more than that needs the back office anyway


async def overdue_cases(agency_code: str, now: dt.datetime) -> list[Case]:
    """Past their due date, or waiting for a business's explanation past its deadline; the
    latest first, each with its assignee."""
    return await (Case.filter(past_due_condition(now) | explanation_late_condition(now),
                              agency_code=agency_code)
                  .order_by("due_at").limit(DIGEST_LIMIT).select_related("assignee"))


async def digest_recipients(agency: Agency) -> list[str]:
    """The agency's active leads; its shared mailbox while it has none."""
    leads = await StaffUser.filter(agency_code=agency.code, role=LEAD, active=True).order_by(
        "email").values_list("email", flat=True)
    return [str(email) for email in leads] or [agency.email]


async def queue_due_digests(notifier: Notifier, hour: int, now: dt.datetime) -> int:
    """Queue today's digests that are due and not yet queued; returns how many were queued."""
    local = now.astimezone(VIETNAM)
    if local.hour < hour:
        return 0
    day, queued = local.date(), 0
    for agency in notifier.agencies.values():
        overdue: list[Case] | None = None
        for recipient in await digest_recipients(agency):
            if await OutboxMessage.exists(event_key=digest_key(agency.code, day, recipient)):
                continue
            if overdue is None:
                overdue = await overdue_cases(agency.code, now)
            if not overdue:
                break
            try:
                async with in_transaction() as connection:
                    await notifier.overdue_digest(connection, agency, recipient, overdue, day, now)
                queued += 1
            except IntegrityError:
                pass  # another sender queued it first
    return queued


async def queue_due_checkpoints(notifier: Notifier, hour: int, now: dt.datetime) -> int:
    """Mail today's latest checkpoint to each witness not yet sent it; how many were queued."""
    local = now.astimezone(VIETNAM)
    if local.hour < hour:
        return 0
    day, queued = local.date(), 0
    recipients = notifier.reference.witnesses.recipients(notifier.agencies.values())
    checkpoint = None
    for recipient in recipients:
        if await OutboxMessage.exists(event_key=checkpoint_key(day, recipient)):
            continue
        checkpoint = checkpoint or await latest_checkpoint()
        if checkpoint is None:
            return queued  # nothing signed yet
        try:
            async with in_transaction() as connection:
                await notifier.checkpoint_notice(connection, recipient, checkpoint, day)
            queued += 1
        except IntegrityError:
            pass  # another sender queued it first
    return queued
