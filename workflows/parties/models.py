"""The tables of a case's outside parties."""

# Class docstrings become table comments in migrations (no ";" in them: see
# workflows/cases/models/case.py).

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.access.models import StaffUser
    from workflows.cases.models import Case


class ExplanationRequest(Model):
    """A business (the seller or the brand owner) asked to explain, by a signed link that
    works once and until the deadline. Its answer stays internal until staff publish a
    summary of it."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="explanations", on_delete=fields.RESTRICT
    )
    party_kind = fields.CharField(max_length=16)  # seller, brand_owner
    party_name = fields.CharField(max_length=200)
    party_email = fields.CharField(max_length=320)
    question = fields.TextField()
    due_at = fields.DatetimeField(db_index=True)
    # Staff chose to wait for the answer: the case was put on hold with the request.
    pauses = fields.BooleanField(default=False)
    # The link names the request and this random value, signed; both must match.
    link_nonce = fields.CharField(max_length=43)
    requested_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="explanations_requested", null=True,
        on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    answered_at = fields.DatetimeField(null=True)
    answer = fields.TextField(default="")
    # Staff no longer need it: the link stops working and it is never overdue.
    withdrawn_at = fields.DatetimeField(null=True)
    # What the public reads on /track, written by staff from the answer (never the answer).
    public_summary = fields.TextField(default="")
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "explanation_request"


class CaseFollower(Model):
    """Someone following a case's public status by email: mailed each public change once they
    confirm by the link sent to the address, until they unsubscribe. Staff see only how many."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="followers", on_delete=fields.RESTRICT
    )
    email = fields.CharField(max_length=320)
    language = fields.CharField(max_length=2, default="vi")
    # The links name the follower and this random value, signed; both must match.
    link_nonce = fields.CharField(max_length=43)
    created_at = fields.DatetimeField(auto_now_add=True)
    confirmation_sent_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    unsubscribed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "case_follower"
        unique_together = (("case", "email"),)


class SupportingReport(Model):
    """Another citizen who saw the same goods and added to an open case instead of filing a
    new one ("I saw this too"): their note and photos, and where to send the outcome."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="supporting_reports", on_delete=fields.RESTRICT
    )
    note = fields.TextField(default="")
    reporter_email = fields.CharField(max_length=320, default="")
    consent = fields.BooleanField(default=False)
    language = fields.CharField(max_length=2, default="vi")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    # A keyed digest of the network it came from: one person adding twice counts once.
    network_digest = fields.CharField(max_length=64, default="", db_default="")
    counted = fields.BooleanField(default=True, db_default=True)

    class Meta:
        table = "supporting_report"


__models__ = [ExplanationRequest, CaseFollower, SupportingReport]
