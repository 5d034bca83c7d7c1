"""Checking the audit trail: walk the chain in order and name the first link that does not hold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from workflows.audit.log import GENESIS_HASH, event_hash
from workflows.audit.models import AuditEvent

_VERIFY_BATCH = 1000


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


async def _events_in_order() -> AsyncIterator[AuditEvent]:
    last_seq = 0
    while True:
        batch = await AuditEvent.filter(seq__gt=last_seq).order_by("seq").limit(_VERIFY_BATCH)
        if not batch:
            return
        for event in batch:
            yield event
        last_seq = batch[-1].seq


async def verify_chain() -> ChainReport:
    """Walk the chain in order and report the first link that does not hold."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    async for event in _events_in_order():
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq,
                               f"event {event.seq} does not follow event {event.seq - 1}")
        recomputed = event_hash(
            seq=event.seq,
            case_id=event.case_id,  # type: ignore[attr-defined]
            actor_type=event.actor_type,
            actor_id=event.actor_id,
            action=event.action,
            before=event.before,
            after=event.after,
            reason=event.reason,
            created_at=event.created_at,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            return ChainReport(checked, event.seq,
                               f"event {event.seq} was changed after it was written")
        checked += 1
        expected_seq, prev_hash = event.seq + 1, event.hash
    return ChainReport(checked)
