"""Removing evidence files that no case refers to: what a crash between writing a file and
committing its case leaves behind."""

from __future__ import annotations

from itertools import islice

from workflows.cases.models import Attachment
from workflows.evidence.storage import EvidenceStore

SWEEP_BATCH = 500


async def sweep_orphans(store: EvidenceStore, min_age_seconds: float) -> int:
    """Remove files no attachment row names: what a crash between writing a file and
    committing its case leaves behind. They are never served (a file is only reachable
    through its row), but they hold photos nobody can see or delete. Returns how many."""
    removed = 0
    names = store.names_older_than(min_age_seconds)
    while batch := list(islice(names, SWEEP_BATCH)):
        known = {str(name) for name in await Attachment.filter(storage_name__in=batch)
                 .values_list("storage_name", flat=True)}
        for name in batch:
            if name not in known:
                store.delete(name)
                removed += 1
    return removed
