"""The sequencer: committed audit events become leaves of the log, in seq order, and the tree's
head is signed as a checkpoint — as Trillian's sequencer does. It runs in every worker of
`intake serve` (and `intake audit integrate`); one at a time does the work (a PostgreSQL
advisory lock; SQLite's write lock), so several workers and machines are safe.

A number a rolled-back transaction took stays unused. On PostgreSQL the sequencer cannot tell such
a gap from a transaction still being written, so it leaves a gap alone for `GRACE`; then, at a
moment no writer holds the writers' advisory lock (a try, never a wait), what is still missing
is missing for good: its leaf is void (workflows.audit.entries).

It signs only a tree that extends the last head it signed (workflows.audit.heads), and logs no
event dated before what precedes it in the log (workflows.audit.timeline). On either it stops
short, records a security event once, and the serve loop has the witnesses alarmed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from workflows.audit.entries import event_leaf, void_leaf
from workflows.audit.heads import Refusal, fork_from, larger, record_refusal, signed_head
from workflows.audit.models import AuditEvent, LogCheckpoint, LogNode
from workflows.audit.notes import Checkpoint, NoteError, Signer, signature_keys
from workflows.audit.numbering import WRITERS_LOCK_KEY, count_voids
from workflows.audit.timeline import CLOCK_SKEW, in_time
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
    refused: Refusal | None = None  # why it stopped short of logging or signing
    head: LogCheckpoint | None = None  # the last good head after this run


@dataclass(frozen=True)
class Batch:
    frontier: Frontier
    read: int  # events integrated
    refused: Refusal | None


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


async def _integrable(connection: BaseDBAsyncClient, events: list[AuditEvent], size: int,
                      now: dt.datetime) -> list[AuditEvent]:
    """The pending events that may take their places now: up to a gap that may still fill,
    and up to a jump no rollback explains."""
    expected = size + 1
    gap_after = next((event for index, event in enumerate(events)
                      if event.seq != expected + index), None)
    if connection.capabilities.dialect == "postgres" and gap_after is not None:
        # The writers' lock alone is free only when no writer is in flight; then none starts
        # until this transaction ends, and a number still missing is missing for good. The
        # sequencer never waits for it: one stuck writer must not hold up every other.
        if (now - gap_after.created_at < GRACE
                or not await _lock(connection, WRITERS_LOCK_KEY, wait=False)):
            events = [event for event in events if event.seq < gap_after.seq]
        else:
            events = await _pending(connection, size)
    jump = next((index for index, event in enumerate(events)
                 if event.seq - (events[index - 1].seq if index else size) > MAX_GAP), None)
    if jump is not None:
        log.error("audit log: event numbers jump from %s to %s; not integrated (a fault or "
                  "a tampered row: `intake audit verify`)",
                  events[jump - 1].seq if jump else size, events[jump].seq)
        events = events[:jump]
    return events


async def _integrate_batch(connection: BaseDBAsyncClient, now: dt.datetime,
                           head: LogCheckpoint | None, skew: dt.timedelta) -> Batch:
    """Up to BATCH events integrated, in time order or not at all."""
    frontier = await Frontier.load(connection)
    events = await _integrable(connection, await _pending(connection, frontier.size),
                               frontier.size, now)
    events, refused = await in_time(connection, events, frontier.size, head, skew)
    codes = await _tracking_codes(connection, events)
    expected, voids = frontier.size + 1, 0
    for event in events:
        while expected < event.seq:  # a number no committed event has: void
            frontier.append(void_leaf(expected))
            expected, voids = expected + 1, voids + 1
        frontier.append(event_leaf(event, codes.get(event.case_id)))  # type: ignore[attr-defined]
        expected += 1
    await count_voids(connection, voids)
    await LogNode.bulk_create([LogNode(level=level, position=position, hash=digest)
                               for level, position, digest in frontier.written],
                              batch_size=1000, using_db=connection)
    return Batch(frontier, len(events), refused)


def _signing_due(last: LogCheckpoint | None, size: int, every: dt.timedelta, force: bool,
                 now: dt.datetime) -> bool:
    """A new head is signed when the log grew and `every` has passed (or now, with force);
    the empty log gets one only when asked."""
    if last is None:
        return size > 0 or force
    return last.size != size and (force or now - last.signed_at >= every)


async def _sign(connection: BaseDBAsyncClient, frontier: Frontier, head: LogCheckpoint | None,
                signer: Signer, every: dt.timedelta, force: bool,
                now: dt.datetime) -> tuple[LogCheckpoint | None, Refusal | None]:
    """A new checkpoint when one is due — only of a tree that extends the last head. A tree of
    the head's size is checked at every round: it is never due, and costs one comparison."""
    same_size = head is not None and head.size == frontier.size
    if not same_size and not _signing_due(head, frontier.size, every, force, now):
        return None, None
    if refused := await fork_from(head, frontier, connection):
        return None, refused
    if same_size:
        return None, None
    checkpoint = Checkpoint(signer.name, frontier.size, frontier.root)
    return await LogCheckpoint.create(using_db=connection, size=checkpoint.size,
                                      root=checkpoint.root, note=signer.sign(checkpoint.text),
                                      signed_at=now), None


async def latest_checkpoint(connection: BaseDBAsyncClient | None = None) -> LogCheckpoint | None:
    return await LogCheckpoint.all().using_db(connection).order_by("-id").first()


async def signed_now(signer: Signer, *, clock_skew: dt.timedelta = CLOCK_SKEW) -> LogCheckpoint:
    """A checkpoint of the log as it is now (integrating what is pending and signing if it
    grew): for files that print where the log stood when they were made. The last good head
    while the sequencer refuses to sign."""
    await run_sequencer(signer, force=True, wait=True, clock_skew=clock_skew)
    head = await signed_head(signer.verifier)
    assert head is not None, "a forced run signs a checkpoint of an unsigned log"
    return head


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
                        force: bool = False, wait: bool = False,
                        clock_skew: dt.timedelta = CLOCK_SKEW,
                        known: LogCheckpoint | None = None) -> SequencerRun | None:
    """Integrate what is pending and sign a checkpoint when one is due (`every` since the last,
    or now with `force`). None when another sequencer is at work (with `wait`, wait for it).
    `known`: a head signed earlier that the database may no longer show."""
    if not await _work_waiting(every, force):
        return SequencerRun(0, await tree_size(), None, head=known)
    integrated = 0
    while True:
        async with in_transaction() as connection:
            if connection.capabilities.dialect == "postgres":
                # The re-read after taking the writers' lock must see what committed before.
                await connection.execute_query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            if not await _lock(connection, SEQUENCER_LOCK_KEY, wait):
                return None
            head = larger(await signed_head(signer.verifier, connection), known)
            batch = await _integrate_batch(connection, dt.datetime.now(dt.UTC), head,
                                           clock_skew)
            integrated += sum(1 for level, _, _ in batch.frontier.written if level == 0)
            if batch.read < BATCH:
                checkpoint, forked = await _sign(connection, batch.frontier, head, signer,
                                                 every, force, dt.datetime.now(dt.UTC))
                for refusal in (forked, batch.refused):
                    if refusal is not None:
                        await record_refusal(connection, refusal)
                return SequencerRun(integrated, batch.frontier.size, checkpoint,
                                    forked or batch.refused, checkpoint or head)


Alarm = Callable[[Refusal], Awaitable[object]]


class LogSequencer(Repeating):
    """The sequencer's loop inside `intake serve`: every worker runs one; the lock lets one at
    a time work, so a worker that stops leaves the work to the others. It remembers the last
    head it saw signed, and has the witnesses alarmed when it refuses to go on."""

    log = log

    def __init__(self, signer: Signer, every: dt.timedelta, poll_seconds: float = 1.0, *,
                 clock_skew: dt.timedelta = CLOCK_SKEW, alarm: Alarm | None = None) -> None:
        super().__init__(poll_seconds)
        self.signer = signer
        self.every = every
        self.clock_skew = clock_skew
        self.alarm = alarm
        self.head: LogCheckpoint | None = None
        self.resume_at = dt.datetime.min.replace(tzinfo=dt.UTC)

    async def run_once(self) -> int:
        """Caught up (less than a full batch): 0, so that the loop sleeps until the next poll.
        Integrating two events costs a round what integrating a thousand does; under load,
        rounds back to back would each take the few events just filed and spend the worker on
        the tree instead of on filing. The log trails the trail by at most the poll."""
        now = dt.datetime.now(dt.UTC)
        if now < self.resume_at:
            return 0
        run = await run_sequencer(self.signer, every=self.every, clock_skew=self.clock_skew,
                                  known=self.head)
        if run is None:
            return 0
        self.head = larger(self.head, run.head)
        if run.refused is not None:
            # The fault stays until someone mends it: found again once per `every`, not at
            # every poll (each round takes SQLite's write lock); mailed once (the alarm's keys).
            self.resume_at = now + self.every
            if self.alarm is not None:
                await self.alarm(run.refused)
            return 0
        return 0 if run.integrated < BATCH else run.integrated
