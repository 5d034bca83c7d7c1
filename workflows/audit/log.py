"""Writing the audit trail: one event per change, in the change's own transaction.

Each event takes the next `seq` as its place in the transparency log (workflows.audit.sequencer
turns committed events into leaves, in seq order) and stores the SHA-256 of its canonical
content, salted. Writers do not wait for each other: on PostgreSQL the number comes from a
sequence, and each writer holds a *shared* advisory lock only so that the sequencer can,
rarely, wait for every writer in flight (to tell a number a rolled-back transaction left unused
from one still being written). On SQLite the write transaction serialises writers. A number is
never given twice (workflows.audit.numbering).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.models import AuditEvent
from workflows.audit.numbering import next_seqs
from workflows.cases.models import Case

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Actor:
    kind: str  # citizen, staff, system
    id: str = ""

    @classmethod
    def citizen(cls) -> Actor:
        return cls("citizen")

    @classmethod
    def system(cls) -> Actor:
        return cls("system")


def canonical_json(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def commitment(event: AuditEvent) -> str:
    """What `event.hash` must be for the event as it is stored: SHA-256 of its canonical
    content and salt (for events written before the log, the hash chain's formula, which
    covers the previous link instead of a salt)."""
    content: dict[str, Any] = {
        "case_id": event.case_id,  # type: ignore[attr-defined]
        "actor_type": event.actor_type,
        "actor_id": event.actor_id,
        "action": event.action,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "created_at": utc_text(event.created_at),
    }
    if event.prev_hash:
        content.update(seq=event.seq, prev_hash=event.prev_hash)
    else:
        content.update(v=2, salt=event.salt)
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewEvent:
    """One change to record: what `append_events` is given."""

    case: Case | None
    actor: Actor
    action: str
    before: Any = None
    after: Any = None
    reason: str = ""


async def append_events(connection: BaseDBAsyncClient,
                        changes: Sequence[NewEvent]) -> list[AuditEvent]:
    """Append events in the order given, with one read of the numbering and one INSERT for
    all of them (a filing records two). Call inside the transaction that makes the change."""
    now = dt.datetime.now(dt.UTC)
    events = [AuditEvent(case_id=change.case.id if change.case else None,
                         actor_type=change.actor.kind, actor_id=change.actor.id,
                         action=change.action, before=change.before, after=change.after,
                         reason=change.reason, created_at=now, prev_hash="",
                         salt=secrets.token_hex(16)) for change in changes]
    for event, seq in zip(events, await next_seqs(connection, len(events)), strict=True):
        event.hash = commitment(event)
        event.seq = seq
    if len(events) == 1:
        await events[0].save(using_db=connection, force_create=True)
    else:
        await AuditEvent.bulk_create(events, using_db=connection)
    return events


async def append_event(
    connection: BaseDBAsyncClient,
    *,
    case: Case | None,
    actor: Actor,
    action: str,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event. Call inside the transaction that makes the change it records."""
    [event] = await append_events(connection, [NewEvent(case, actor, action, before, after,
                                                        reason)])
    return event
