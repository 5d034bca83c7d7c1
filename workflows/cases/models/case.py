"""A case: one citizen report and everything the agencies record on it. Times are stored in
UTC; agencies live in config/, cases refer to them by code."""

# Class docstrings become table comments in migrations, and Tortoise splits SQLite DDL on ";",
# so they must not contain one. A NOT NULL field added to an existing table needs a db_default:
# without one, the migration fails on a database that already holds rows.

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.access.models import StaffUser
    from workflows.cases.models.outcome import CaseFeedback, SeizedItem
    from workflows.cases.models.work import Attachment, CaseMessage, CaseSupport


class Case(Model):
    """One citizen report and everything the agencies do with it."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    tracking_code = fields.CharField(max_length=10, unique=True)
    # HMAC of the reporter's PIN; the PIN itself is shown once, on the receipt.
    pin_digest = fields.CharField(max_length=64)
    # The reporter's open pages carry this number; "Thoát" raises it, ending them all.
    reporter_epoch = fields.IntField(default=0, db_default=0)
    intake_channel = fields.CharField(max_length=16, default="web")
    language = fields.CharField(max_length=2, default="vi")

    category = fields.CharField(max_length=32, db_index=True)
    product_name = fields.CharField(max_length=200)
    brand = fields.CharField(max_length=200, default="")
    product_group = fields.CharField(max_length=32, db_index=True)
    barcode = fields.CharField(max_length=32, default="")
    # None: no barcode given, or not a GTIN we can check; False: the check digit is wrong.
    barcode_check_ok = fields.BooleanField(null=True)
    barcode_gs1_prefix = fields.CharField(max_length=3, default="")
    barcode_gs1_office = fields.CharField(max_length=100, default="")
    label_origin = fields.CharField(max_length=8, default="unknown")
    quantity = fields.IntField(null=True)
    quantity_unit = fields.CharField(max_length=32, default="", db_default="")
    price_vnd = fields.BigIntField(null=True)
    purchase_date = fields.DateField(null=True)

    sales_channel = fields.CharField(max_length=16, db_index=True)
    shop_name = fields.CharField(max_length=200, default="")
    # The shop name folded for matching (see workflows.cases.duplicates.shop_key): SQLite cannot
    # compare Vietnamese letters case-insensitively, so the folding is done once, here.
    shop_key = fields.CharField(max_length=200, default="", db_default="", db_index=True)
    # Without any mark, for a name typed without them (workflows.cases.duplicates).
    shop_bare = fields.CharField(max_length=200, default="", db_default="", db_index=True)
    # Product, brand and shop without diacritics or case, for the staff search (workflows.cases.search).
    search_text = fields.CharField(max_length=620, default="", db_default="")
    province = fields.CharField(max_length=100, default="")
    commune = fields.CharField(max_length=100, default="", db_index=True)
    # Its official code (workflows.reference.places), when the province's list has codes; none
    # for cases filed before, which keep reading by the name.
    commune_code = fields.IntField(null=True)
    street = fields.CharField(max_length=200, default="")
    online_url = fields.CharField(max_length=500, default="")
    # The barcode as compared with other reports' (workflows.cases.barcodes.barcode_key).
    barcode_key = fields.CharField(max_length=32, default="", db_default="", db_index=True)
    # The page the link shows, whoever shared it and however (workflows.cases.web_pages).
    page_key = fields.CharField(max_length=64, default="", db_default="", db_index=True)
    platform = fields.CharField(max_length=100, default="")
    description = fields.TextField()
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    # What an Open311 client sent that has no field here ({"title": ..., "media_url": ...}):
    # kept for staff, never published.
    extra_attributes: Any = fields.JSONField(null=True)

    reporter_name = fields.CharField(max_length=100, default="")
    reporter_phone = fields.CharField(max_length=20, default="")
    # The reporter asked for SMS too (to reporter_phone, a Vietnamese mobile): workflows.mail.
    notify_sms = fields.BooleanField(default=False, db_default=False)
    reporter_email = fields.CharField(max_length=254, default="")
    consent = fields.BooleanField(default=False)

    status = fields.CharField(max_length=16, default="received", db_index=True)
    # None: no rule named an agency, the case waits in the intake officers' triage queue.
    agency_code = fields.CharField(max_length=16, null=True, db_index=True)
    # The rule's position in the file, as cases filed before rules had ids kept it; the rule
    # is named by its id in `routing_reason` since (workflows.reference.routing).
    routing_rule = fields.IntField(null=True)
    routing_reason = fields.CharField(max_length=300, default="")
    due_at = fields.DatetimeField(null=True, db_index=True)
    # An officer must route a case no rule routed by then (the triage SLA).
    triage_due_at = fields.DatetimeField(null=True)
    # Set while the case waits (for the reporter, a business, a lab): the SLA clock is stopped.
    paused_at = fields.DatetimeField(null=True)
    # When the case reached the police (workflows.cases.sealing): from then on no outside party
    # and no public page learns where it is or what happens to it.
    sealed_at = fields.DatetimeField(null=True)
    # An agency alert could not be delivered: an officer must phone the agency instead.
    alert_undelivered = fields.BooleanField(default=False, db_default=False)
    assignee: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="assigned_cases", null=True, on_delete=fields.SET_NULL
    )
    # Set when an officer rejects the case as a duplicate: its reporter gets that case's outcome.
    duplicate_of: fields.ForeignKeyNullableRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="duplicates", null=True, on_delete=fields.RESTRICT
    )
    # The resolution: what the agency found and did (feeds the statistics). With a penalty,
    # the decision that imposed it and whom on; the goods seized are SeizedItem rows, and the
    # two seized_ totals here are theirs: how many kinds of goods, and their value.
    outcome = fields.CharField(max_length=24, default="", db_default="")
    public_outcome = fields.TextField(default="", db_default="")
    fine_vnd = fields.BigIntField(null=True)
    seized_quantity = fields.IntField(null=True)
    seized_value_vnd = fields.BigIntField(null=True)
    legal_basis = fields.TextField(default="", db_default="")
    decision_number = fields.CharField(max_length=50, default="", db_default="")
    decision_date = fields.DateField(null=True)
    violator_name = fields.CharField(max_length=200, default="", db_default="")
    violator_tax_code = fields.CharField(max_length=14, default="", db_default="")
    violator_kind = fields.CharField(max_length=16, default="", db_default="")  # catalog
    resolved_at = fields.DatetimeField(null=True)
    # The reporter added something staff of the handling agency have not opened yet.
    new_info_at = fields.DatetimeField(null=True)
    # Other citizens who reported the same goods by adding to this case ("I saw this too").
    supporters = fields.IntField(default=0, db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)
    version = fields.IntField(default=1)

    attachments: fields.ReverseRelation[Attachment]
    messages: fields.ReverseRelation[CaseMessage]
    seized_items: fields.ReverseRelation[SeizedItem]
    feedback: fields.ReverseRelation[CaseFeedback]
    supports: fields.ReverseRelation[CaseSupport]

    class Meta:
        table = "case"
        # The queue lists open cases of a status (or of an agency) by due date, and counts them,
        # overdue ones too, from these indexes alone (PostgreSQL needs the id in them for
        # that). The statistics read cases received (or resolved) in a period from covering
        # indexes alone, never from the wide rows: four times faster at 200,000 cases. (Long
        # texts get indexes of their own: a PostgreSQL index entry must stay under 2,704 bytes.)
        indexes = (("status", "due_at", "paused_at", "triage_due_at", "id"),
                   ("agency_code", "status", "due_at", "paused_at", "triage_due_at", "id"),
                   ("created_at", "category", "agency_code", "commune", "product_group",
                    "sales_channel", "intake_channel", "status", "resolved_at"),
                   ("created_at", "agency_code", "brand"),
                   ("created_at", "agency_code", "product_name"),
                   ("created_at", "agency_code", "shop_key", "commune", "shop_name"),
                   ("resolved_at", "due_at", "outcome", "agency_code", "created_at", "fine_vnd",
                    "seized_quantity", "seized_value_vnd"))
