"""Removing stored files that no row refers to: what a crash between writing a file and
committing its row leaves behind, and a photo taken out of a brand owner's guide."""

from __future__ import annotations

from itertools import islice

from tortoise.models import Model

from workflows.cases.models import Attachment
from workflows.evidence.storage import EvidenceStore
from workflows.parties.models import BrandOwnerDocument, GuidePhoto

SWEEP_BATCH = 500
# Every table whose rows name a stored file.
FILE_TABLES: tuple[type[Model], ...] = (Attachment, BrandOwnerDocument, GuidePhoto)


async def sweep_orphans(store: EvidenceStore, min_age_seconds: float) -> int:
    """Remove files no row names: what a crash between writing a file and committing its
    row leaves behind. They are never served (a file is only reachable
    through its row), but they hold photos nobody can see or delete. Returns how many."""
    removed = 0
    names = store.names_older_than(min_age_seconds)
    while batch := list(islice(names, SWEEP_BATCH)):
        known: set[str] = set()
        for table in FILE_TABLES:
            known.update(str(name) for name in await table.filter(storage_name__in=batch)
                         .values_list("storage_name", flat=True))
        for name in batch:
            if name not in known:
                store.delete(name)
                removed += 1
    return removed
