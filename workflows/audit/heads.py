"""What the sequencer signs only after checking: a tree that extends the last head it signed.

The last head is the largest checkpoint whose note verifies with the log's key — rows of the
tree can be rewritten by anyone with the database, a signed note only with the key — or, if
larger, the one the running sequencer remembers signing or reading (rows can be deleted). A tree
that does not extend it (a consistency proof from it, RFC 9162 §2.1.4, does not hold over the
stored tree) is a fork: signing it would give witnesses two histories. The sequencer refuses,
records a security event once, and the serve loop mails the witnesses (workflows.mail.log_alarm).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit import merkle
from workflows.audit.log import Actor, append_event, utc_text
from workflows.audit.models import AuditEvent, LogCheckpoint
from workflows.audit.notes import Checkpoint, NoteError, Verifier
from workflows.audit.security import LOG_REFUSED
from workflows.audit.tree import Frontier, NotInTree, stored_hashes

FORK, DATED_BACK = "fork", "dated_back"
PAGE = 100
log = logging.getLogger("intake.audit")


@dataclass(frozen=True)
class Refusal:
    """Why the sequencer would not go on."""

    kind: str  # FORK: the tree does not extend the last head; DATED_BACK: an event's time
    key: str  # the same fault found again has the same key: recorded and mailed once
    reason: str  # for operators, in the security event and the alarm
    head: LogCheckpoint | None  # the last good head, which /audit/checkpoint keeps serving
    event: int | None = None  # the event refused (DATED_BACK)


def label(head: LogCheckpoint) -> str:
    return f"checkpoint #{head.id} (size {head.size}, signed {utc_text(head.signed_at)})"


async def signed_head(verifier: Verifier,
                      connection: BaseDBAsyncClient | None = None) -> LogCheckpoint | None:
    """The largest checkpoint whose signed note says what its row says; rows that do not
    verify (written without the key, or edited) are passed over."""
    offset, limit = 0, 1  # the first row, nearly always; then a page at a time
    while rows := await (LogCheckpoint.all().using_db(connection).order_by("-size", "-id")
                         .offset(offset).limit(limit)):
        for row in rows:
            try:
                head = Checkpoint.parse(verifier.open(row.note))
            except NoteError:
                continue
            if (head.size, head.root) == (row.size, bytes(row.root)):
                return row
        offset, limit = offset + limit, PAGE
    return None


def larger(*heads: LogCheckpoint | None) -> LogCheckpoint | None:
    known = [head for head in heads if head is not None]
    return max(known, key=lambda head: head.size) if known else None


async def fork_from(head: LogCheckpoint | None, frontier: Frontier,
                    connection: BaseDBAsyncClient) -> Refusal | None:
    """A refusal unless the tree (the frontier over the stored subtrees) extends the head."""
    if head is None or head.size == 0 or (frontier.size, frontier.root) == (head.size,
                                                                            bytes(head.root)):
        return None
    if frontier.size < head.size:
        why = (f"the tree holds {frontier.size} leaves, fewer than the {head.size} of "
               f"{label(head)}: it was cut back")
    elif frontier.size == head.size:
        why = f"the tree of {frontier.size} leaves has another root than {label(head)}"
    else:
        addresses = merkle.consistency_addresses(head.size, frontier.size)
        try:
            path = merkle.proof(addresses, iter(await stored_hashes(merkle.flatten(addresses),
                                                                    connection)))
        except NotInTree as missing:
            path = []
            log.error("audit log: no consistency proof from %s: %s", head.size, missing)
        if merkle.consistent(head.size, frontier.size, bytes(head.root), frontier.root, path):
            return None
        why = (f"the tree of {frontier.size} leaves does not extend {label(head)}: no "
               "consistency proof holds; leaves it signed, or the subtrees over them, changed")
    return Refusal(FORK, f"{FORK}:{head.id}:{head.size}", f"{why}. Nothing more is signed.",
                   head)


async def record_refusal(connection: BaseDBAsyncClient, refusal: Refusal) -> bool:
    """The refusal as a security event, in the sequencer's transaction — once: the sequencer
    finds the same fault at every round, and each event would make the log grow again."""
    if await AuditEvent.filter(action=LOG_REFUSED, reason=refusal.key).using_db(
            connection).exists():
        return False
    log.error("audit log: %s", refusal.reason)
    await append_event(connection, case=None, actor=Actor.system(), action=LOG_REFUSED,
                       reason=refusal.key, after={
                           "refused": refusal.kind, "detail": refusal.reason,
                           "event": refusal.event,
                           "checkpoint_size": refusal.head.size if refusal.head else None})
    return True
