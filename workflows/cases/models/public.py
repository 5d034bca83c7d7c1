"""What a case shows the outside: its public updates, and the filings a client may send again."""

# Class docstrings become table comments in migrations; see workflows/cases/models/case.py.

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.cases.models.case import Case


class CaseUpdate(Model):
    """A change the public may know of (a public reply, a new status, the outcome), in order:
    the Open311 updates feed and the status notes read from here. `description` is the
    agency's public text, empty where the action says it all."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="updates", on_delete=fields.RESTRICT
    )
    action = fields.CharField(max_length=32)  # what happened: the audit event's action
    status = fields.CharField(max_length=16)  # the case's status after it
    outcome = fields.CharField(max_length=24, default="")  # what the agency found, on "resolve"
    description = fields.TextField(default="")
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "case_update"
        indexes = (("case_id", "id"),)


class FilingKey(Model):
    """A filing a client may send again (its answer was lost): the key it gave (an
    Idempotency-Key, or the digest of a keyed client's request), what the request said, and
    the case it made, with the PIN sealed for the retry's answer. Kept for a day."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    scope = fields.CharField(max_length=40)  # "client:<id>" or "anonymous"
    key = fields.CharField(max_length=80)
    request_digest = fields.CharField(max_length=64)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="filing_keys", on_delete=fields.RESTRICT
    )
    sealed_pin = fields.TextField()
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "filing_key"
        unique_together = (("scope", "key"),)
