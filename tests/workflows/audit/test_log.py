from __future__ import annotations

import asyncio

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from tests.helpers import post_report
from workflows.audit.log import GENESIS_HASH, Actor, append_event
from workflows.audit.models import AuditEvent
from workflows.audit.verify import verify_chain


async def file_reports(client, count: int) -> None:
    for _ in range(count):
        assert (await post_report(client)).status_code == 303


async def test_the_chain_of_a_fresh_database_verifies(client):
    await file_reports(client, 3)
    report = await verify_chain()
    assert report.intact and report.events_checked == 6
    first = await AuditEvent.get(seq=1)
    assert first.prev_hash == GENESIS_HASH


async def test_the_database_refuses_to_update_or_delete_an_event(client):
    await file_reports(client, 1)
    with pytest.raises(Exception, match="audit_event is append-only"):
        await AuditEvent.filter(seq=1).update(reason="tampered")
    with pytest.raises(Exception, match="audit_event is append-only"):
        await AuditEvent.filter(seq=2).delete()
    assert (await verify_chain()).intact


async def _drop_triggers() -> None:
    """What someone with full database rights could do before editing rows by hand."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await connection.execute_script(
            "DROP TRIGGER audit_event_no_change ON audit_event")
    else:
        await connection.execute_script(
            "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;")


async def test_a_hand_edited_event_breaks_the_chain_at_that_event(client):
    await file_reports(client, 3)
    await _drop_triggers()
    await AuditEvent.filter(seq=4).update(reason="routed to bvntd by rule 3: category=counterfeit")
    report = await verify_chain()
    assert not report.intact
    assert report.broken_seq == 4 and report.events_checked == 3
    assert "changed after it was written" in report.problem


async def test_a_removed_event_is_found_missing(client):
    await file_reports(client, 2)
    await _drop_triggers()
    await AuditEvent.filter(seq=2).delete()
    report = await verify_chain()
    assert (report.broken_seq, report.problem) == (2, "event 2 is missing")


async def test_a_rewritten_hash_does_not_hide_an_edit(client):
    """Recomputing an edited event's own hash still breaks the link to the next one."""
    await file_reports(client, 2)
    await _drop_triggers()
    await AuditEvent.filter(seq=2).update(reason="edited", hash="f" * 64)
    report = await verify_chain()
    assert report.broken_seq == 2


async def test_concurrent_appends_never_fork_the_chain(client):
    async def append(n: int) -> None:
        async with in_transaction() as connection:
            await append_event(connection, case=None, actor=Actor.system(), action="test",
                               after={"n": n})

    await asyncio.gather(*(append(n) for n in range(20)))
    report = await verify_chain()
    assert report.intact and report.events_checked == 20
