"""A citizen's proof that their report is in the audit log: the filing event's leaf, its
inclusion proof and a signed checkpoint — everything an RFC 9162 verifier needs, offline.

The leaf index is known the moment the report is filed (its filing event's seq - 1), so the
receipt and the acknowledgement give it at once; the proof exists once the sequencer has
integrated the event, which a request for it asks for rather than waits a minute.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

from workflows.audit import merkle
from workflows.audit.entries import entry
from workflows.audit.heads import signed_head
from workflows.audit.models import AuditEvent, LogCheckpoint
from workflows.audit.notes import Checkpoint, NoteError, Signer
from workflows.audit.sequencer import run_sequencer
from workflows.audit.timeline import CLOCK_SKEW
from workflows.audit.tree import NotInTree, inclusion_proof, leaf_at
from workflows.cases.models import Case

FILING_ACTION = "created"


def leaf_index(event: AuditEvent) -> int:
    return int(event.seq) - 1


async def filing_event(case: Case) -> AuditEvent | None:
    return await (AuditEvent.filter(case_id=case.id, action=FILING_ACTION).order_by("seq")
                  .first())


async def filing_leaf(case: Case) -> int | None:
    event = await filing_event(case)
    return leaf_index(event) if event else None


@dataclass(frozen=True)
class InclusionReceipt:
    leaf_index: int
    tree_size: int
    entry: bytes  # the leaf's exact bytes
    inclusion: list[bytes]
    checkpoint: str  # the signed note whose root the proof reaches
    signed_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        """The `/track/CODE/proof.json` document."""
        return {
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "entry": base64.b64encode(self.entry).decode(),
            "inclusion": [base64.b64encode(digest).decode() for digest in self.inclusion],
            "checkpoint": self.checkpoint,
        }


async def _covering_checkpoint(index: int, signer: Signer,
                               clock_skew: dt.timedelta) -> LogCheckpoint | None:
    latest = await signed_head(signer.verifier)
    if latest is None or latest.size <= index:
        await run_sequencer(signer, force=True, wait=True, clock_skew=clock_skew)
        latest = await signed_head(signer.verifier)
    return latest if latest is not None and latest.size > index else None


async def inclusion_receipt(case: Case, signer: Signer, *,
                            clock_skew: dt.timedelta = CLOCK_SKEW) -> InclusionReceipt | None:
    """The proof for the case's filing event, checked here exactly as a verifier would check
    it; None while the event is not in the log yet (or if the proof does not hold, which
    `intake audit verify` then explains)."""
    event = await filing_event(case)
    if event is None:
        return None
    index = leaf_index(event)
    checkpoint = await _covering_checkpoint(index, signer, clock_skew)
    if checkpoint is None:
        return None
    leaf_bytes = entry(event, case.tracking_code)
    try:
        head = Checkpoint.parse(signer.verifier.open(checkpoint.note))
        path = await inclusion_proof(index, head.size)
        stored_leaf = await leaf_at(index)
    except (NoteError, NotInTree):
        return None
    leaf = merkle.leaf_hash(leaf_bytes)
    if stored_leaf != leaf or merkle.root_from_inclusion(index, head.size, leaf,
                                                         path) != head.root:
        return None
    return InclusionReceipt(index, head.size, leaf_bytes, path, checkpoint.note,
                            checkpoint.signed_at)
