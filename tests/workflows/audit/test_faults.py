"""Faults an outside reliability test found in the log, each as it happened: an insider
deleting the tail of the trail, an event dated in the past, tree rows edited to fork the log,
two signed heads of one size. The log goes on, refuses what it cannot sign, and says so."""

from __future__ import annotations

import asyncio
import datetime as dt
import types
from dataclasses import replace

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from tests.conftest import browser, running_app
from tests.helpers import post_report, wait_for
from tests.live import run_intake
from tests.workflows.audit.test_log import drop_triggers, file_reports, integrate
from tests.workflows.audit.test_tampering import (
    edit_hidden_by_rebuilding,
    held_checkpoint,
    mentions,
    verify,
)
from workflows.audit import log, sequencer
from workflows.audit.log import Actor, append_event, commitment
from workflows.audit.models import AuditEvent, LogCheckpoint, LogNode
from workflows.audit.notes import Checkpoint
from workflows.audit.security import LOG_REFUSED
from workflows.audit.sequencer import LogSequencer, run_sequencer
from workflows.cases.models import Case
from workflows.mail.models import OutboxMessage


async def test_filing_goes_on_after_tail_events_are_deleted_and_the_gap_is_named(
        app, client, settings):
    await held_checkpoint(app, client)  # events 1..8 in the log, signed
    await drop_triggers()
    await AuditEvent.filter(seq__gt=6).delete()  # the insider removes the last report's two

    assert (await post_report(client)).status_code == 303  # once every filing answered 500
    assert await Case.all().count() == 5
    numbers = sorted(await AuditEvent.all().values_list("seq", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6, 9, 10], "a number, once given, is never given again"
    await integrate(app)

    report = await verify(app)
    assert not report.intact and report.first_event == 7
    assert mentions(report, "events 7..8 are gone", "a gap in the event numbers")
    health = await client.get("/healthz")
    assert health.status_code == 200  # the service still takes reports
    assert health.json()["status"] == "degraded"
    assert "2 events the log holds are gone" in health.json()["audit_log"]
    env = {"INTAKE_DATABASE_URL": settings.database_url,
           "INTAKE_DATA_DIR": str(settings.data_dir)}
    status = run_intake("outbox", "status", env=env)
    [line] = [line for line in status.stdout.splitlines() if line.startswith("audit log:")]
    assert "2 events the log holds are gone" in line and status.returncode == 1


def thirty_days_slow(monkeypatch) -> None:
    """A writer whose clock is 30 days behind (or an insider who dates an event back)."""
    real = dt.datetime

    class Behind(real):
        @classmethod
        def now(cls, tz=None):
            return real.now(tz) - dt.timedelta(days=30)

    monkeypatch.setattr(log, "dt", types.SimpleNamespace(datetime=Behind, UTC=dt.UTC))


async def test_a_back_dated_event_is_neither_logged_nor_signed_and_verify_names_it(
        app, client, monkeypatch):
    await file_reports(client, 1)
    first = await integrate(app)
    with monkeypatch.context() as patched:
        thirty_days_slow(patched)
        async with in_transaction() as connection:
            late = await append_event(connection, case=None, actor=Actor.system(),
                                      action="test")
    await file_reports(client, 1)  # written on time, after it

    run = await integrate(app)
    assert run.size == first.size == 2 and run.checkpoint is None
    assert run.refused is not None and f"event {late.seq} is dated" in run.refused.reason
    assert await AuditEvent.filter(action=LOG_REFUSED).count() == 1
    await integrate(app)  # found again: not recorded again
    assert await AuditEvent.filter(action=LOG_REFUSED).count() == 1

    report = await verify(app)
    assert report.first_event == late.seq
    assert mentions(report, f"event {late.seq} is dated", f"before event {late.seq - 1}",
                    "time ran backwards")
    # What the serve loop does with the refusal: each witness is told, in Vietnamese.
    assert await app.state.intake.sequencer.alarm(run.refused) > 0
    alarm = await OutboxMessage.filter(kind="log_alarm").first()
    assert alarm is not None and f"CẢNH BÁO: sổ nhật ký kiểm toán đã từ chối sự kiện {late.seq}" \
        in alarm.subject


async def test_a_forked_tree_is_not_signed_and_the_witnesses_are_alarmed(mail_settings,
                                                                         smtp_server):
    settings = replace(mail_settings, checkpoint_seconds=0)
    async with running_app(settings) as app, browser(app) as client:
        context = app.state.intake
        loop: LogSequencer = context.sequencer
        loop.stop()  # the test runs its rounds
        await asyncio.gather(*(task for task in asyncio.all_tasks()
                               if task.get_name() == LogSequencer.__name__))
        held = await held_checkpoint(app, client)
        # The insider, without the key: edits event 3, then the tree rows from leaf 3 on, so
        # that the log is rebuilt over the edited event.
        await drop_triggers()
        event = await AuditEvent.get(seq=3)
        event.reason = "routed to bvntd by rule 3"
        await AuditEvent.filter(id=event.id).update(reason=event.reason, hash=commitment(event))
        for node in await LogNode.all():
            if (node.position + 1) << node.level > 2:
                await LogNode.filter(id=node.id).delete()
        await file_reports(client, 1)

        assert await loop.run_once() == 0
        assert await LogNode.filter(level=0).count() == 10  # integrated, as the rows now say
        assert await LogCheckpoint.all().count() == 1, "the forked tree was signed"
        assert (await client.get("/audit/checkpoint")).text == held  # the last good head
        [refusal] = await AuditEvent.filter(action=LOG_REFUSED)
        assert refusal.after["refused"] == "fork" and refusal.after["checkpoint_size"] == 8

        witnesses = context.reference.witnesses.recipients(context.reference.agencies.values())
        context.outbox_sender.wake()
        await wait_for(lambda: all(smtp_server.handler.to(address) for address in witnesses))
        [mail] = smtp_server.handler.to("bcd389@example.gov.vn")
        assert "CẢNH BÁO" in mail.message["Subject"]
        text = mail.part("plain")
        assert held in text and "8" in text  # the last good head, for the witness to keep
        assert Checkpoint.parse(context.signer.verifier.open(held)).size == 8

        await loop.run_once()  # the same fork found again: no second alarm
        assert await OutboxMessage.filter(kind="log_alarm").count() == len(witnesses)
        assert await AuditEvent.filter(action=LOG_REFUSED).count() == 1


async def test_two_checkpoints_of_one_size_that_disagree_are_named(app, client):
    held = await held_checkpoint(app, client)
    await edit_hidden_by_rebuilding(app)  # a second root for size 8, signed with the key

    report = await verify(app, held)
    assert mentions(report, "two checkpoints of size 8 disagree: the log was forked")
    assert not mentions(report, "among 9..8")


async def test_a_tree_cut_back_below_the_signed_head_is_not_signed(app, client, monkeypatch):
    """Tail events and their tree rows deleted: signing the smaller tree would roll the log
    back under the witnesses' copies, and signing it grown again a second root for a size."""
    await held_checkpoint(app, client)
    await drop_triggers()
    await AuditEvent.filter(seq__gt=6).delete()
    for node in await LogNode.all():
        if (node.position + 1) << node.level > 6:
            await LogNode.filter(id=node.id).delete()
    signer = app.state.intake.signer
    run = await run_sequencer(signer, force=True, wait=True)
    assert run is not None and run.checkpoint is None and run.refused is not None
    # Grown past it again, over other leaves (7 and 8 void, 9 the refusal's own security
    # event): still no second history, for any size.
    monkeypatch.setattr(sequencer, "GRACE", dt.timedelta(0))
    await file_reports(client, 1)
    run = await run_sequencer(signer, force=True, wait=True)
    assert run is not None and run.size == 11 and run.checkpoint is None
    assert "does not extend checkpoint #1" in run.refused.reason
    assert [size for size in await LogCheckpoint.all().values_list("size", flat=True)] == [8]


async def test_a_number_given_twice_is_named(app, client):
    held = await held_checkpoint(app, client)
    signed = Checkpoint.parse(app.state.intake.signer.verifier.open(held))
    await drop_triggers()
    await AuditEvent.filter(seq=5).delete()
    async with in_transaction() as connection:  # an hour later, a new event takes number 5
        fresh = await append_event(connection, case=None, actor=Actor.system(), action="test")
    fresh.seq = 5
    fresh.created_at = (await LogCheckpoint.get(size=signed.size)).signed_at + dt.timedelta(hours=1)
    await AuditEvent.filter(id=fresh.id).update(seq=5, created_at=fresh.created_at,
                                                hash=commitment(fresh))
    report = await verify(app, held)
    assert report.first_event == 5
    assert mentions(report, "event 5 is dated", "1 h 0 min after checkpoint #",
                    "its number was given twice")


async def test_the_event_counter_only_grows_and_set_back_it_gives_no_number_in_use(app,
                                                                                  client):
    await file_reports(client, 1)  # events 1 and 2
    connection = connections.get("default")
    with pytest.raises(Exception, match="audit_numbering only grows"):
        await connection.execute_script("DELETE FROM audit_numbering")
    if connection.capabilities.dialect == "postgres":  # its counter is the sequence
        await connection.execute_script("ALTER SEQUENCE audit_event_seq RESTART WITH 1")
    else:
        with pytest.raises(Exception, match="audit_numbering only grows"):
            await connection.execute_script("UPDATE audit_numbering SET last_seq = 0")
        await connection.execute_script("DROP TRIGGER audit_numbering_only_grows; "
                                        "UPDATE audit_numbering SET last_seq = 0")
    health = (await client.get("/healthz")).json()
    assert "the event counter stands at 0, behind number 2 in use" in health["audit_log"]

    assert (await post_report(client)).status_code == 303
    assert sorted(await AuditEvent.all().values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert (await client.get("/healthz")).json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_events_deleted_before_the_log_took_them_are_a_gap_on_sqlite(app, client):
    """SQLite gives no number that stays unused (a rolled-back writer gives its number back),
    so a void there is an event deleted. (On PostgreSQL a rolled-back writer leaves the same
    hole: test_log.py.)"""
    await file_reports(client, 1)
    await drop_triggers()
    await AuditEvent.filter(seq=2).delete()  # before the sequencer took it
    await file_reports(client, 1)
    assert sorted(await AuditEvent.all().values_list("seq", flat=True)) == [1, 3, 4]
    await integrate(app)
    report = await verify(app)
    assert report.first_event == 2
    assert mentions(report, "event number 2 was given, but no event holds it", "a gap")
    assert "1 event the log holds is gone" in (await client.get("/healthz")).json()["audit_log"]
