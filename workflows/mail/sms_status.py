"""What `intake outbox status` says of the SMS, apart from the mail: queued, sent, failed, what
the caps refused (by cap), what the gateway reported delivered or not, and the month's parts
against the budget. Every SMS goes to a citizen's number: a failure pages nobody (the number
is the citizen's to correct), and no number is ever printed whole."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tortoise.functions import Count

from workflows.mail.models import OutboxMessage
from workflows.mail.sms import (
    MAX_PARTS,
    MONTHLY_PARTS,
    PER_NUMBER_DAILY,
    REFUSED,
    SMS,
    month_window,
    parts_used,
    sms_policy,
)
from workflows.mail.sms_delivery import FINAL

CAPS = (PER_NUMBER_DAILY, MONTHLY_PARTS, MAX_PARTS)
# A gateway's answer may quote the number: seven digits or more in a row, spaced or not.
_NUMBER = re.compile(r"\+?\d[\d .-]{5,}\d")


@dataclass(frozen=True)
class SmsStatus:
    pending: int
    sent: int
    failed: int
    refused: dict[str, int]  # by the setting of the cap that refused them
    delivered: int
    not_delivered: int  # reported failed, or refused by the operator's SMSC
    parts_this_month: int
    monthly_parts: int  # the budget; 0: none
    last_error: str

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())


def without_numbers(text: str) -> str:
    return _NUMBER.sub("<number>", text)


async def sms_status(now: dt.datetime | None = None) -> SmsStatus:
    sms = OutboxMessage.filter(channel=SMS)
    counts = dict(await sms.annotate(count=Count("id")).group_by("status").values_list(
        "status", "count"))
    reports = dict(await sms.exclude(delivery="").annotate(count=Count("id")).group_by(
        "delivery").values_list("delivery", "count"))
    refused = {cap: await sms.filter(status=REFUSED, last_error__startswith=cap).count()
               for cap in CAPS}
    last = await sms.exclude(last_error="").exclude(status=REFUSED).order_by("-id").first()
    return SmsStatus(
        pending=counts.get("pending", 0), sent=counts.get("sent", 0),
        failed=counts.get("failed", 0), refused=refused,
        delivered=reports.get("delivered", 0),
        not_delivered=sum(reports.get(final, 0) for final in FINAL if final != "delivered"),
        parts_this_month=await parts_used(*month_window(now or dt.datetime.now(dt.UTC))),
        monthly_parts=sms_policy().monthly_parts,
        last_error=(f"SMS {last.id} ({last.kind}): {without_numbers(last.last_error)}"
                    if last else ""))


def status_line(status: SmsStatus) -> str:
    """One line for the terminal: what an operator checks the SMS by."""
    refused = ", ".join(f"{count} by {cap}" for cap, count in status.refused.items() if count)
    budget = f" of {status.monthly_parts}" if status.monthly_parts else ""
    return (f"sms: pending: {status.pending}  sent: {status.sent}  failed: {status.failed}  "
            f"refused by a cap: {status.refused_total}{f' ({refused})' if refused else ''}  "
            f"delivered: {status.delivered}  not delivered: {status.not_delivered}  "
            f"parts this month: {status.parts_this_month}{budget}")
