"""The audit log as its writers and its sequencer use it: events become leaves in seq order,
without a global lock, and a signed checkpoint covers them."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from tests.helpers import post_report
from workflows.audit import merkle, sequencer
from workflows.audit.entries import entry, void_entry
from workflows.audit.log import Actor, append_event, commitment
from workflows.audit.models import AuditEvent, LogCheckpoint, LogNode
from workflows.audit.notes import Checkpoint
from workflows.audit.sequencer import run_sequencer
from workflows.audit.verify import verify_log
from workflows.cases.models import Case

LOG_TABLES = ("audit_event", "log_node", "log_checkpoint")


async def file_reports(client, count: int) -> None:
    for _ in range(count):
        assert (await post_report(client)).status_code == 303


async def integrate(app) -> sequencer.SequencerRun:
    run = await run_sequencer(app.state.intake.signer, force=True, wait=True)
    assert run is not None
    return run


async def naive_root() -> bytes:
    """The root computed from the events directly, without the stored tree: every number from 1
    to the largest, a missing one void."""
    events = {event.seq: event for event in await AuditEvent.all()}
    codes = dict(await Case.all().values_list("id", "tracking_code"))
    leaves = [merkle.leaf_hash(entry(events[i], codes.get(events[i].case_id))
                               if i in events else void_entry(i))
              for i in range(1, max(events, default=0) + 1)]

    def mth(items: list[bytes]) -> bytes:
        if len(items) == 1:
            return items[0]
        k = 1
        while k * 2 < len(items):
            k *= 2
        return merkle.node_hash(mth(items[:k]), mth(items[k:]))

    return mth(leaves) if leaves else merkle.EMPTY_ROOT


async def test_filed_reports_are_leaves_under_a_signed_checkpoint(app, client):
    await file_reports(client, 3)
    run = await integrate(app)
    assert (run.integrated, run.size) == (6, 6)  # each report: filed, routed
    assert run.checkpoint is not None
    verifier = app.state.intake.signer.verifier
    head = Checkpoint.parse(verifier.open(run.checkpoint.note))
    assert head.size == 6 and head.root == await naive_root()
    assert head.origin == "testserver/audit"
    report = await verify_log(verifier)
    assert report.intact and report.events == 6 and report.roots_matched == 1


async def test_a_quiet_log_gets_no_new_checkpoint_and_a_growing_one_does(app, client):
    await file_reports(client, 1)
    first = (await integrate(app)).checkpoint
    again = await integrate(app)
    assert first is not None and again.checkpoint is None  # same size: nothing new to sign
    await file_reports(client, 1)
    # Not forced and signed less than a minute ago: integrated now, signed later.
    later = await run_sequencer(app.state.intake.signer, every=dt.timedelta(minutes=1))
    assert later is not None and later.integrated == 2 and later.checkpoint is None
    assert await LogCheckpoint.all().count() == 1
    assert (await integrate(app)).checkpoint.size == 4


async def drop_triggers() -> None:
    """What someone with full database rights could do before editing rows by hand."""
    connection = connections.get("default")
    for table in LOG_TABLES:
        if connection.capabilities.dialect == "postgres":
            await connection.execute_script(
                f"DROP TRIGGER {table}_no_change ON {table}; "
                f"DROP TRIGGER {table}_no_truncate ON {table};")
        else:
            await connection.execute_script(
                f"DROP TRIGGER {table}_no_update; DROP TRIGGER {table}_no_delete;")


@pytest.mark.parametrize("model", [AuditEvent, LogNode, LogCheckpoint])
async def test_the_database_refuses_to_change_or_remove_any_part_of_the_log(app, client,
                                                                          model):
    await file_reports(client, 1)
    await integrate(app)
    table, connection = model._meta.db_table, connections.get("default")
    statements = [f"UPDATE {table} SET id = id + 1000", f"DELETE FROM {table}"]
    if connection.capabilities.dialect == "postgres":
        statements.append(f"TRUNCATE {table} CASCADE")
    for statement in statements:
        with pytest.raises(Exception, match=f"{table} is append-only"):
            await connection.execute_script(statement)
    assert (await verify_log(app.state.intake.signer.verifier)).intact


async def test_concurrent_writers_and_sequencers_build_one_tree(app):
    """Twenty writers at once, three sequencers at once: no event lost or logged twice."""
    async def append(n: int) -> None:
        async with in_transaction() as connection:
            await append_event(connection, case=None, actor=Actor.system(), action="test",
                               after={"n": n})

    await asyncio.gather(*(append(n) for n in range(20)))
    signer = app.state.intake.signer
    await asyncio.gather(*(run_sequencer(signer, force=True, wait=True) for _ in range(3)))
    assert await LogNode.filter(level=0).count() == 20
    assert sorted(await AuditEvent.all().values_list("seq", flat=True)) == list(range(1, 21))
    assert (await verify_log(signer.verifier)).intact


async def test_a_rolled_back_event_leaves_no_hole_that_breaks_the_log(app, client, monkeypatch):
    """PostgreSQL's sequence never gives a number back: a rolled-back event leaves a gap,
    which the sequencer waits out, then fills with a void leaf. SQLite gives it to the next."""
    monkeypatch.setattr(sequencer, "GRACE", dt.timedelta(0))
    with pytest.raises(RuntimeError):
        async with in_transaction() as connection:
            await append_event(connection, case=None, actor=Actor.system(), action="test")
            raise RuntimeError("the change failed after its event was written")
    await file_reports(client, 1)
    run = await integrate(app)
    numbers = await AuditEvent.all().values_list("seq", flat=True)
    assert run.size == max(numbers) and len(numbers) == 2
    assert Checkpoint.parse(run.checkpoint.note).root == await naive_root()
    assert (await verify_log(app.state.intake.signer.verifier)).intact


async def test_an_event_still_being_written_is_not_voided_nor_waited_for(app, monkeypatch):
    """A writer that took its number and has not committed keeps its place in the log, however
    long it takes and whatever commits after it; on PostgreSQL the sequencer does not wait for
    it either (one stuck writer must not stop the log), on SQLite the write lock makes it."""
    monkeypatch.setattr(sequencer, "GRACE", dt.timedelta(0))
    signer = app.state.intake.signer
    written, release = asyncio.Event(), asyncio.Event()

    async def slow_writer() -> None:
        async with in_transaction() as connection:
            await append_event(connection, case=None, actor=Actor.system(), action="slow")
            written.set()
            await release.wait()

    writer = asyncio.create_task(slow_writer())
    await written.wait()
    if connections.get("default").capabilities.dialect == "postgres":
        async with in_transaction() as connection:  # a later event commits first
            await append_event(connection, case=None, actor=Actor.system(), action="quick")
        early = await run_sequencer(signer, force=True, wait=True)
        assert early is not None and early.size == 0  # the gap holds the quick one back
    else:
        early_run = asyncio.create_task(run_sequencer(signer, force=True, wait=True))
        await asyncio.sleep(0.3)
        assert not early_run.done(), "SQLite's write lock makes the sequencer wait"
    release.set()
    await writer
    await run_sequencer(signer, force=True, wait=True)
    slow = await AuditEvent.get(action="slow")
    leaf = (await LogNode.get(level=0, position=slow.seq - 1)).hash
    assert bytes(leaf) == merkle.leaf_hash(entry(slow, None))
    assert await LogNode.filter(level=0).count() == await AuditEvent.all().count()
    assert (await verify_log(signer.verifier)).intact


async def test_a_huge_jump_in_event_numbers_is_not_filled_with_voids(app, client, caplog,
                                                                     monkeypatch):
    """A tampered or broken sequence must not make the sequencer write voids for ever."""
    monkeypatch.setattr(sequencer, "GRACE", dt.timedelta(0))
    await file_reports(client, 1)
    async with in_transaction() as connection:
        event = await append_event(connection, case=None, actor=Actor.system(), action="test")
    await drop_triggers()
    await AuditEvent.filter(id=event.id).update(seq=10**9)
    run = await integrate(app)
    assert run.size == 2
    assert "event numbers jump from 2 to 1000000000" in caplog.text


async def test_each_event_commits_to_its_content_with_a_secret_salt(client):
    await file_reports(client, 1)
    event = await AuditEvent.get(action="created")
    assert len(event.salt) == 32 and event.prev_hash == ""
    assert commitment(event) == event.hash
    # Without the salt, knowing an event's content does not reproduce its hash.
    event.salt = "0" * 32
    assert commitment(event) != event.hash
