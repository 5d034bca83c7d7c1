"""Delivery reports: what the SMS gateway says became of an SMS after it took it (Kannel calls
the dlr-url each message carries). The latest is kept on the message; a final one — delivered,
failed, refused by the operator's SMSC — is never replaced by an earlier stage that arrives
late."""

from __future__ import annotations

import datetime as dt

from workflows.mail.models import OutboxMessage

# Kannel's report types (its %d), as the outbox names them.
REPORT_TYPES = {1: "delivered", 2: "failed", 4: "buffered", 8: "accepted", 16: "rejected"}
FINAL = ("delivered", "failed", "rejected")


class UnknownReport(ValueError):
    """Not a report type Kannel sends."""


async def record_delivery(message_id: int, report_type: int,
                          now: dt.datetime | None = None) -> bool:
    """Keep the report on the message; False when no SMS has this id."""
    if report_type not in REPORT_TYPES:
        raise UnknownReport(f"delivery report type {report_type} is none of "
                            f"{', '.join(map(str, REPORT_TYPES))}")
    updated = await OutboxMessage.filter(id=message_id, channel="sms").exclude(
        delivery__in=FINAL).update(delivery=REPORT_TYPES[report_type],
                                   delivery_at=now or dt.datetime.now(dt.UTC))
    return bool(updated) or await OutboxMessage.exists(id=message_id, channel="sms")
