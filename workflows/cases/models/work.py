"""What hangs on a case while it is worked: supporting tasks, attachments, messages between
the agency and the reporter, internal notes."""

# Class docstrings become table comments in migrations; see workflows/cases/models/case.py.

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.access.models import StaffUser
    from workflows.cases.models.case import Case
    from workflows.parties.models import BrandInquiry, ExplanationRequest, SupportingReport


class CaseSupport(Model):
    """A supporting agency on a case: shared, not moved. It has its own task, assignee, due date
    and status, and sees the case in its queue. The lead agency still resolves the case."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="supports", on_delete=fields.RESTRICT
    )
    agency_code = fields.CharField(max_length=16, db_index=True)
    task = fields.TextField()
    assignee: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="support_tasks", null=True, on_delete=fields.SET_NULL
    )
    due_at = fields.DatetimeField()
    status = fields.CharField(max_length=16, default="open")  # open, done
    report = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)

    class Meta:
        table = "case_support"
        unique_together = (("case", "agency_code"),)


class Attachment(Model):
    """A photo or PDF kept under the data dir by a random name, served only to authorised staff."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="attachments", on_delete=fields.RESTRICT
    )
    storage_name = fields.CharField(max_length=80, unique=True)
    original_name = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=64)
    size = fields.IntField()
    # SHA-256 of the bytes as the citizen sent them (evidence); the stored file is without
    # metadata.
    received_sha256 = fields.CharField(max_length=64)
    stored_sha256 = fields.CharField(max_length=64)
    # reporter, staff, business, brand_owner
    added_by = fields.CharField(max_length=16, default="reporter")
    # A business's document sent with its explanation.
    explanation: fields.ForeignKeyNullableRelation[ExplanationRequest] = fields.ForeignKeyField(
        "models.ExplanationRequest", related_name="documents", null=True,
        on_delete=fields.RESTRICT
    )
    # A photo another citizen added with "I saw this too".
    supporting_report: fields.ForeignKeyNullableRelation[SupportingReport] = (
        fields.ForeignKeyField("models.SupportingReport", related_name="photos", null=True,
                               on_delete=fields.RESTRICT))
    # Staff shared this photo of the goods with the brand owners asked about the case (a
    # reporter's photo may show a receipt or a face: nothing is shown to them unless shared).
    shared_with_owners = fields.BooleanField(default=False, db_default=False)
    # The reporter's message (an answer, an addition) this file was sent with.
    message: fields.ForeignKeyNullableRelation[CaseMessage] = fields.ForeignKeyField(
        "models.CaseMessage", related_name="photos", null=True, on_delete=fields.RESTRICT)
    # A brand owner's evidence sent with its opinion on the goods.
    brand_inquiry: fields.ForeignKeyNullableRelation[BrandInquiry] = fields.ForeignKeyField(
        "models.BrandInquiry", related_name="documents", null=True, on_delete=fields.RESTRICT)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "attachment"


class CaseMessage(Model):
    """The conversation with the reporter: the agency's public replies and questions, and what
    the reporter adds later (with code and PIN)."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="messages", on_delete=fields.RESTRICT
    )
    author = fields.CharField(max_length=16)  # "reporter" or "agency"
    # The agency's "reply" or "question"; the reporter's "addition".
    kind = fields.CharField(max_length=16, default="reply", db_default="reply")
    body = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    # An update an Open311 client posted for the reporter: "<client id>:<its update id>",
    # so that its retry finds this message (workflows.cases.reporter.add_client_update).
    client_ref = fields.CharField(max_length=100, null=True, unique=True)

    class Meta:
        table = "case_message"


class CaseNote(Model):
    """An internal note by staff: never shown to the reporter or the public."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="notes", on_delete=fields.RESTRICT
    )
    author: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="notes", on_delete=fields.RESTRICT
    )
    body = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "case_note"
