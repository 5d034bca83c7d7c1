"""The table of the agencies' product warnings."""

# Class docstrings become table comments in migrations (no ";" in them: see
# workflows/cases/models/case.py).

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from workflows.parties.models import StoredFile

if TYPE_CHECKING:
    from workflows.access.models import StaffUser


class ProductWarning(Model):
    """A warning an agency publishes about a fake or unsafe product: what to look for and the
    legal basis. Drafted by one member of staff, public only once a second approves it, and
    withdrawn with its reason kept (a withdrawn warning stays in the feeds, marked so)."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    agency_code = fields.CharField(max_length=32)
    product_name = fields.CharField(max_length=200)
    brand = fields.CharField(max_length=200, default="")
    brand_key = fields.CharField(max_length=200, default="", db_index=True)  # folded, as claims
    barcode = fields.CharField(max_length=32, default="")
    barcode_key = fields.CharField(max_length=32, default="", db_index=True)  # as cases compare
    batch = fields.CharField(max_length=100, default="")
    batch_key = fields.CharField(max_length=100, default="", db_index=True)  # as barcodes
    body = fields.TextField()  # what to look for, and what to do
    legal_basis = fields.CharField(max_length=500)
    status = fields.CharField(max_length=16, default="draft", db_index=True)
    drafted_by: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="warnings_drafted", on_delete=fields.RESTRICT)
    approved_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="warnings_approved", null=True,
        on_delete=fields.RESTRICT)
    withdrawn_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="warnings_withdrawn", null=True,
        on_delete=fields.RESTRICT)
    withdraw_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True)
    withdrawn_at = fields.DatetimeField(null=True)
    photos: fields.ReverseRelation[WarningPhoto]

    class Meta:
        table = "product_warning"


class WarningPhoto(StoredFile):
    """A photo of the fake product or of its marks, shown with the warning: checked and stored
    like citizens' files, public only once the warning is."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    warning: fields.ForeignKeyRelation[ProductWarning] = fields.ForeignKeyField(
        "models.ProductWarning", related_name="photos", on_delete=fields.RESTRICT)

    class Meta:
        table = "product_warning_photo"
