"""The append-only audit trail: one hash chain over every event.

Each event stores the hash of the previous one and the SHA-256 of its own canonical JSON, so
editing, removing or reordering any row breaks the chain at that row. The database refuses
UPDATE and DELETE on the table (migration 0002). `verify_chain()` catches accidental damage and
careless edits; it cannot catch someone who drops the triggers and deletes the newest events,
or recomputes every later hash: the chain has no secret and nothing outside the database
remembers its head.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.models import AuditEvent
from workflows.cases.models import Case

GENESIS_HASH = "0" * 64
# Any constant: it names the one PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x1A7A_4E01


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


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    seq: int,
    case_id: int | None,
    actor_type: str,
    actor_id: str,
    action: str,
    before: Any,
    after: Any,
    reason: str,
    created_at: dt.datetime,
    prev_hash: str,
) -> str:
    content = canonical_json(
        {
            "seq": seq,
            "case_id": case_id,
            "actor_type": actor_type,
            "actor_id": actor_id,
            "action": action,
            "before": before,
            "after": after,
            "reason": reason,
            "created_at": _utc_text(created_at),
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


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
    if connection.capabilities.dialect == "postgres":
        # Two transactions must not both read the same last link; the lock is released at commit.
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [_CHAIN_LOCK_KEY])
    # On SQLite the write transaction itself serialises writers.
    last = await AuditEvent.all().using_db(connection).order_by("-seq").only("seq", "hash").first()
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else GENESIS_HASH
    created_at = dt.datetime.now(dt.UTC)
    fields: dict[str, Any] = {
        "seq": seq,
        "case_id": case.id if case else None,
        "actor_type": actor.kind,
        "actor_id": actor.id,
        "action": action,
        "before": before,
        "after": after,
        "reason": reason,
        "created_at": created_at,
        "prev_hash": prev_hash,
    }
    return await AuditEvent.create(using_db=connection, hash=event_hash(**fields), **fields)
