"""What a leaf of the audit log says about its event: the bytes the Merkle tree hashes.

An entry names the event (its number, time, action and case tracking code) and commits to all of
it through the event's salted hash; only a filing's entry adds public facts (its category and
how it came in). Entries are never published, except a filing's to whoever holds its tracking
code (`/track/CODE/proof.json`), so that a citizen can check their own report is in the log.
A number no event took (a transaction rolled back after taking it) gets a void entry."""

from __future__ import annotations

from typing import Any

from workflows.audit.log import canonical_json, utc_text
from workflows.audit.merkle import Hash, leaf_hash
from workflows.audit.models import AuditEvent

ENTRY_VERSION = 1
# A filing's facts that anyone with its tracking code may read.
PUBLIC_FACTS = {"created": ("category", "intake_channel")}


def entry(event: AuditEvent, tracking_code: str | None) -> bytes:
    body: dict[str, Any] = {
        "v": ENTRY_VERSION,
        "event": event.seq,
        "at": utc_text(event.created_at),
        "action": event.action,
        "case": tracking_code,
        "commitment": event.hash,
    }
    facts = PUBLIC_FACTS.get(event.action)
    if facts:
        after = event.after if isinstance(event.after, dict) else {}
        body["facts"] = {name: after.get(name) for name in facts}
    return canonical_json(body).encode("utf-8")


def void_entry(seq: int) -> bytes:
    return canonical_json({"v": ENTRY_VERSION, "event": seq, "void": True}).encode("utf-8")


def event_leaf(event: AuditEvent, tracking_code: str | None) -> Hash:
    return leaf_hash(entry(event, tracking_code))


def void_leaf(seq: int) -> Hash:
    """The leaf of a number no event holds."""
    return leaf_hash(void_entry(seq))
