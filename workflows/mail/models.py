"""The outbox table: mail and SMS waiting to be sent. Times are stored in UTC."""

# Class docstrings become table comments in migrations; see workflows/cases/models/case.py.

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.cases.models import Case


class OutboxMessage(Model):
    """An email or SMS waiting to be sent, written in the same transaction as its cause.

    `event_key` names that event, and is unique: one event never queues two messages.
    """
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    event_key = fields.CharField(max_length=120, unique=True)
    kind = fields.CharField(max_length=32)
    # "mail" or "sms": each channel's sender claims its own. An SMS holds the number as its
    # recipient and the text as sent (accents folded or not) as body_text.
    channel = fields.CharField(max_length=8, default="mail", db_default="mail")
    case: fields.ForeignKeyNullableRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="outbox_messages", null=True, on_delete=fields.RESTRICT
    )
    recipient = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    body_text = fields.TextField()
    body_html = fields.TextField()
    # Who answers a mail sent outside the agencies (workflows.mail.answering): the From's name
    # ("": the configured one) and the Reply-To ("": none).
    from_name = fields.CharField(max_length=200, default="", db_default="")
    reply_to = fields.CharField(max_length=254, default="", db_default="")
    # One file sent with the mail (a report's draft), or none.
    attachment_name = fields.CharField(max_length=200, default="", db_default="")
    attachment: bytes | None = fields.BinaryField(null=True)
    # pending, sent, failed; "refused": an SMS a cap stopped before it was queued (never sent)
    status = fields.CharField(max_length=16, default="pending")
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    # A sender's claim: other senders leave the row alone until the lease runs out.
    lease_until = fields.DatetimeField(null=True)
    claim_token = fields.CharField(max_length=32, default="")
    # Claimed this many times; more claims than attempts means senders took it and never
    # recorded an outcome (a crash, a hang): `intake outbox status` calls it stuck.
    claims = fields.IntField(default=0, db_default=0)
    last_error = fields.TextField(default="")
    permanent_failure = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    # An SMS's parts (what the operator pays for), counted against the monthly budget.
    sms_parts = fields.IntField(default=0, db_default=0)
    # What the SMS gateway last reported (delivered, failed, buffered, accepted, rejected)
    # and when: "sent" only says the gateway took the message.
    delivery = fields.CharField(max_length=16, default="", db_default="")
    delivery_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        # The second: an SMS cap counts a day's or a month's SMS.
        indexes = (("status", "next_attempt_at"), ("channel", "created_at"))
