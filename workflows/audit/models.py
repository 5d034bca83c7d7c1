"""The audit trail's table. Times are stored in UTC."""

# Class docstrings become table comments in migrations; see workflows/cases/models.py.

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.cases.models import Case


class AuditEvent(Model):
    """One link of the append-only, hash-chained audit trail (triggers refuse UPDATE and DELETE)."""

    id = fields.IntField(primary_key=True)
    seq = fields.BigIntField(unique=True)
    case: fields.ForeignKeyNullableRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="audit_events", null=True, on_delete=fields.RESTRICT
    )
    actor_type = fields.CharField(max_length=16)  # citizen, staff, system
    actor_id = fields.CharField(max_length=64, default="")
    action = fields.CharField(max_length=32)
    before: Any = fields.JSONField(null=True)
    after: Any = fields.JSONField(null=True)
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField()
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_event"
