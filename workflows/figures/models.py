"""Figures frozen once published. Times are stored in UTC."""

# Class docstrings become table comments in migrations; see workflows/cases/models/case.py.

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class PublishedMonth(Model):
    """A reporting month's open-data figures, frozen when published: official figures do not
    move afterwards, and the public pages read them without counting cases again."""

    id = fields.IntField(primary_key=True)
    label = fields.CharField(max_length=16, unique=True)
    first_day = fields.DateField()
    last_day = fields.DateField()
    published_at = fields.DatetimeField()
    # [{"breakdown", "code", "received", "resolved", "resolved_in_time"}, …]
    rows: Any = fields.JSONField()

    class Meta:
        table = "published_month"
