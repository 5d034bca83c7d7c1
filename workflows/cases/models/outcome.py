"""What a resolution leaves behind besides the case's own fields: each kind of goods seized, and
the reporter's word on the outcome (with the review it may ask for)."""

# Class docstrings become table comments in migrations; see workflows/cases/models/case.py.

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.access.models import StaffUser
    from workflows.cases.models.case import Case


class SeizedItem(Model):
    """One kind of goods seized on a resolution: how much, in which unit, worth what, and
    whether it was destroyed."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="seized_items", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=200)
    quantity: Decimal = fields.DecimalField(max_digits=15, decimal_places=3)
    unit = fields.CharField(max_length=32)
    value_vnd = fields.BigIntField(null=True)
    destroyed = fields.BooleanField(default=False)

    class Meta:
        table = "seized_item"


class CaseFeedback(Model):
    """The reporter's word on one resolution: satisfied or not, and why. Not satisfied within
    the review window asks the agency to review it: a request its lead grants (the case
    reopens) or declines with a public reason."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="feedback", on_delete=fields.RESTRICT
    )
    resolved_at = fields.DatetimeField()  # the resolution it judges
    satisfied = fields.BooleanField()
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField()
    review = fields.CharField(max_length=16, default="")  # "", pending, granted, declined
    decided_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="review_decisions", null=True,
        on_delete=fields.SET_NULL
    )
    decided_at = fields.DatetimeField(null=True)
    decision_reason = fields.TextField(default="")

    class Meta:
        table = "case_feedback"
        unique_together = (("case", "resolved_at"),)
        indexes = (("review", "case_id"),)
