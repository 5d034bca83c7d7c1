"""The audit trail's tables. Times are stored in UTC.

`audit_event` holds what happened; `log_node` and `log_checkpoint` are the Merkle transparency
log over it (workflows.audit.sequencer): the hash of every complete subtree, and the signed tree
heads. All three are append-only in the database (triggers refuse UPDATE and DELETE);
`audit_numbering`, the events' counter, may only grow."""

# Class docstrings become table comments in migrations; see workflows/cases/models/case.py.

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.cases.models import Case


class AuditEvent(Model):
    """One event of the append-only audit trail; seq is its place in the log (leaf index + 1)."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

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
    # The hash chain's link, for events written before the log ("" after).
    prev_hash = fields.CharField(max_length=64)
    # SHA-256 of the event's canonical content (workflows.audit.log.commitment).
    hash = fields.CharField(max_length=64)
    # Random, kept here and never published: the log's leaf holds the hash, and without the
    # salt nobody can confirm a guess of what an event says.
    salt = fields.CharField(max_length=32, default="", db_default="")

    class Meta:
        table = "audit_event"


class LogNode(Model):
    """The hash of a complete subtree of the audit log's Merkle tree: the leaves
    [position * 2^level, (position + 1) * 2^level). Level 0 holds the leaves."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    level = fields.SmallIntField()
    position = fields.BigIntField()
    hash = fields.BinaryField()

    class Meta:
        table = "log_node"
        unique_together = (("level", "position"),)


class LogCheckpoint(Model):
    """A signed tree head: the log held `size` leaves with this root, signed as a C2SP
    tlog-checkpoint note."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    size = fields.BigIntField()
    root = fields.BinaryField()
    note = fields.TextField()
    signed_at = fields.DatetimeField()

    class Meta:
        table = "log_checkpoint"
        indexes = (("size",),)


class EventNumbering(Model):
    """The events' counter, one row that only grows: the last number given, and how many
    numbers the log filled with void leaves."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    # SQLite's counter (workflows.audit.numbering): a deleted event's number is never given
    # again, so the mail it queued never collides with a new event's.
    last_seq = fields.BigIntField(default=0)
    # Numbers the sequencer found unused for good (PostgreSQL: a rolled-back writer's), so
    # that a health check tells them from events deleted after they were logged.
    voids = fields.BigIntField(default=0)

    class Meta:
        table = "audit_numbering"
