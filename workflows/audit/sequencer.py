"""The sequencer: committed audit events become leaves of the log, in seq order, and the tree's
head is signed as a checkpoint — as Trillian's sequencer does. It runs in every worker of
`intake serve` (and `intake audit integrate`); one at a time does the work (a PostgreSQL
advisory lock; SQLite's write lock), so several workers and machines are safe.

A number a rolled-back transaction took stays unused. On PostgreSQL the sequencer cannot tell such
a gap from a transaction still being written, so it leaves a gap alone for `GRACE`; then, at a
moment no writer holds the writers' advisory lock (a try, never a wait), what is still missing
is missing for good: its leaf is void (workflows.audit.entries).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from workflows.audit.entries import entry_leaf
from workflows.audit.log import WRITERS_LOCK_KEY
from workflows.audit.models import AuditEvent, LogCheckpoint, LogNode
from workflows.audit.notes import Checkpoint, NoteError, Signer, signature_keys
from workflows.audit.tree import Frontier, tree_size
from workflows.cases.models import Case
from workflows.db.background import Repeating

SEQUENCER_LOCK_KEY = 0x1A7A_4E02
BATCH = 2000
GRACE = dt.timedelta(seconds=5)
MAX_GAP = 10_000  # numbers skipped at once: more than rollbacks ever leave
log = logging.getLogger("intake.audit")


@dataclass(frozen=True)
class SequencerRun:
    integrated: int  # leaves added, voids included
    size: int
    checkpoint: LogCheckpoint | None  # signed in this run


async def _lock(connection: BaseDBAsyncClient, key: int, wait: bool) -> bool:
    """Take a transaction-scoped advisory lock on PostgreSQL (SQLite: the write lock is held)."""
    if connection.capabilities.dialect != "postgres":
        return True
    if wait:
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [key])
        return True
    _, rows = await connection.execute_query("SELECT pg_try_advisory_xact_lock($1) AS ok", [key])
    return bool(rows[0]["ok"])


async def _pending(connection: BaseDBAsyncClient, after: int) -> list[AuditEvent]:
    return await (AuditEvent.filter(seq__gt=after).using_db(connection).order_by("seq")
                  .limit(BATCH))


async def _tracking_codes(connection: BaseDBAsyncClient,
                          events: list[AuditEvent]) -> dict[int, str]:
    ids = {event.case_id for event in events if event.case_id}  # type: ignore[attr-defined]
    if not ids:
        return {}
    rows = await Case.filter(id__in=ids).using_db(connection).values_list("id", "tracking_code")
    return dict(rows)


async def _integrate_batch(connection: BaseDBAsyncClient,
                           now: dt.datetime) -> tuple[Frontier, int]:
    """Up to BATCH events integrated; the frontier after them and how many events were read."""
    frontier = await Frontier.load(connection)
    events = await _pending(connection, frontier.size)
    postgres = connection.capabilities.dialect == "postgres"
    expected = frontier.size + 1
    gap_after = next((event for index, event in enumerate(events)
                      if event.seq != expected + index), None)
    if postgres and gap_after is not None:
        # The writers' lock alone is free only when no writer is in flight; then none starts
        # until this transaction ends, and a number still missing is missing for good. The
        # sequencer never waits for it: one stuck writer must not hold up every other.
        if (now - gap_after.created_at < GRACE
                or not await _lock(connection, WRITERS_LOCK_KEY, wait=False)):
            events = [event for event in events if event.seq < gap_after.seq]
        else:
            events = await _pending(connection, frontier.size)
    jump = next((index for index, event in enumerate(events)
                 if event.seq - (events[index - 1].seq if index else frontier.size) > MAX_GAP),
                None)
    if jump is not None:
        log.error("audit log: event numbers jump from %s to %s; not integrated (a fault or "
                  "a tampered row: `intake audit verify`)",
                  events[jump - 1].seq if jump else frontier.size, events[jump].seq)
        events = events[:jump]
    codes = await _tracking_codes(connection, events)
    for event in events:
        while expected < event.seq:  # a number no committed event has: void
            frontier.append(entry_leaf(None, expected, None))
            expected += 1
        frontier.append(entry_leaf(event, event.seq, codes.get(event.case_id)))  # type: ignore[attr-defined]
        expected += 1
    await LogNode.bulk_create([LogNode(level=level, position=position, hash=digest)
                               for level, position, digest in frontier.written],
                              batch_size=1000, using_db=connection)
    return frontier, len(events)


def _signing_due(last: LogCheckpoint | None, size: int, every: dt.timedelta, force: bool,
                 now: dt.datetime) -> bool:
    """A new head is signed when the log grew and `every` has passed (or now, with force);
    the empty log gets one only when asked."""
    if last is None:
        return size > 0 or force
    return last.size != size and (force or now - last.signed_at >= every)


async def _sign(connection: BaseDBAsyncClient, frontier: Frontier, signer: Signer,
                every: dt.timedelta, force: bool, now: dt.datetime) -> LogCheckpoint | None:
    last = await latest_checkpoint(connection)
    if not _signing_due(last, frontier.size, every, force, now):
        return None
    head = Checkpoint(signer.name, frontier.size, frontier.root)
    return await LogCheckpoint.create(using_db=connection, size=head.size, root=head.root,
                                      note=signer.sign(head.text), signed_at=now)


async def latest_checkpoint(connection: BaseDBAsyncClient | None = None) -> LogCheckpoint | None:
    return await LogCheckpoint.all().using_db(connection).order_by("-id").first()


async def signed_now(signer: Signer) -> LogCheckpoint:
    """A checkpoint of the log as it is now (integrating what is pending and signing if it
    grew): for files that print where the log stood when they were made."""
    await run_sequencer(signer, force=True, wait=True)
    latest = await latest_checkpoint()
    assert latest is not None, "a forced run signs a checkpoint of an unsigned log"
    return latest


class ForeignKey(RuntimeError):
    """The configured signing key did not sign the log's checkpoints."""


async def check_signing_key(signer: Signer) -> None:
    """Refuse to sign with a key that did not sign the latest checkpoint: a lost key file
    replaced by a new one, or machines each with their own, would look like a forged log."""
    latest = await latest_checkpoint()
    if latest is None:
        return
    try:
        signer.verifier.open(latest.note)
    except NoteError:
        keys = ", ".join(f"{name}+{key:08x}" for name, key in signature_keys(latest.note))
        raise ForeignKey(
            f"the audit log's checkpoints are signed by {keys}, not by the configured key "
            f"{signer.verifier.vkey}: restore the log's key (INTAKE_AUDIT_KEY, or the "
            "audit_log_key file of the data folder) on every machine") from None


async def checkpoints_after(size: int, limit: int) -> list[LogCheckpoint]:
    """The history: checkpoints larger than `size`, oldest first."""
    return await LogCheckpoint.filter(size__gt=size).order_by("size", "id").limit(limit)


async def _work_waiting(every: dt.timedelta, force: bool) -> bool:
    """Whether a run has anything to do, found with two reads and no lock: most rounds of an
    idle server stop here instead of taking SQLite's write lock."""
    size = await tree_size()
    if await AuditEvent.filter(seq__gt=size).exists():
        return True
    return _signing_due(await latest_checkpoint(), size, every, force, dt.datetime.now(dt.UTC))


async def run_sequencer(signer: Signer, *, every: dt.timedelta = dt.timedelta(minutes=1),
                        force: bool = False, wait: bool = False) -> SequencerRun | None:
    """Integrate what is pending and sign a checkpoint when one is due (`every` since the last,
    or now with `force`). None when another sequencer is at work (with `wait`, wait for it)."""
    if not await _work_waiting(every, force):
        return SequencerRun(0, await tree_size(), None)
    integrated = 0
    while True:
        async with in_transaction() as connection:
            if connection.capabilities.dialect == "postgres":
                # The re-read after taking the writers' lock must see what committed before.
                await connection.execute_query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            if not await _lock(connection, SEQUENCER_LOCK_KEY, wait):
                return None
            frontier, read = await _integrate_batch(connection, dt.datetime.now(dt.UTC))
            integrated += sum(1 for level, _, _ in frontier.written if level == 0)
            if read < BATCH:
                checkpoint = await _sign(connection, frontier, signer, every, force,
                                         dt.datetime.now(dt.UTC))
                return SequencerRun(integrated, frontier.size, checkpoint)


class LogSequencer(Repeating):
    """The sequencer's loop inside `intake serve`: every worker runs one; the lock lets one at
    a time work, so a worker that stops leaves the work to the others."""

    log = log

    def __init__(self, signer: Signer, every: dt.timedelta, poll_seconds: float = 1.0) -> None:
        super().__init__(poll_seconds)
        self.signer = signer
        self.every = every

    async def run_once(self) -> int:
        """Caught up (less than a full batch): 0, so that the loop sleeps until the next poll.
        Integrating two events costs a round what integrating a thousand does; under load,
        rounds back to back would each take the few events just filed and spend the worker on
        the tree instead of on filing. The log trails the trail by at most the poll."""
        run = await run_sequencer(self.signer, every=self.every)
        if run is None or run.integrated < BATCH:
            return 0
        return run.integrated
