"""The table of the campaign's feedback."""

# Class docstrings become table comments in migrations (no ";" in them: see
# workflows/cases/models/case.py).

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class CampaignFeedback(Model):
    """A suggestion, or a Vietnamese product or shop a citizen recommends: read by the steering
    committee, counted in its reports. The contact details are kept only with consent and
    shown only to staff who may see personal data."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16, db_index=True)  # catalog.CAMPAIGN_KINDS
    subject = fields.CharField(max_length=200, default="")  # the product or the shop
    brand = fields.CharField(max_length=200, default="")
    commune = fields.CharField(max_length=100, default="")
    body = fields.TextField()
    contact_name = fields.CharField(max_length=100, default="")
    contact_phone = fields.CharField(max_length=20, default="")
    contact_email = fields.CharField(max_length=254, default="")
    language = fields.CharField(max_length=2, default="vi")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "campaign_feedback"
