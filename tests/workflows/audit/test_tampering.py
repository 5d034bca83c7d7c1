"""An insider with full database rights (and, in the worst case, the signing key) rewrites the
audit trail. `verify` finds each rewrite — from the log's own stored tree where the insider left
it, and from a checkpoint a witness held where the insider rewrote everything."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tortoise import connections

from tests.conftest import running_app
from tests.workflows.audit.test_log import drop_triggers, file_reports, integrate
from workflows.audit.log import commitment
from workflows.audit.models import AuditEvent, LogCheckpoint, LogNode
from workflows.audit.notes import Signer
from workflows.audit.sequencer import ForeignKey, run_sequencer
from workflows.audit.verify import LogReport, verify_log

REPORTS = 4  # eight events: each report is filed, then routed


async def held_checkpoint(app, client) -> str:
    """File the reports, integrate, and give a witness the signed checkpoint."""
    await file_reports(client, REPORTS)
    run = await integrate(app)
    assert run.checkpoint is not None and run.size == 2 * REPORTS
    return run.checkpoint.note


async def verify(app, held: str | None = None, verifier=None) -> LogReport:
    verifier = verifier or app.state.intake.signer.verifier
    return await verify_log(verifier, {"witness.txt": held} if held else {})


async def rewrite_log(signer: Signer) -> None:
    """What the insider does last: throw the stored tree away and let Intake's own sequencer
    rebuild and re-sign it over the events as they now are."""
    await LogNode.all().delete()
    await LogCheckpoint.all().delete()
    await run_sequencer(signer, force=True, wait=True)


def mentions(report: LogReport, *words: str) -> bool:
    return any(all(word in problem for word in words) for problem in report.problems)


async def test_an_untouched_log_verifies_with_the_held_checkpoint(app, client):
    held = await held_checkpoint(app, client)
    report = await verify(app, held)
    assert report.intact and report.checkpoints == 2 and report.roots_matched == 2


async def test_deleted_tail_events_contradict_the_held_checkpoint(app, client):
    held = await held_checkpoint(app, client)
    await drop_triggers()
    await AuditEvent.filter(seq__gt=6).delete()
    for node in await LogNode.all():  # and every subtree that covered them
        if (node.position + 1) << node.level > 6:
            await LogNode.filter(id=node.id).delete()
    await LogCheckpoint.all().delete()
    await run_sequencer(app.state.intake.signer, force=True, wait=True)

    assert (await verify(app)).intact, "without a copy kept outside, a clean cut is invisible"
    report = await verify(app, held)
    assert not report.intact and report.first_event == 7
    assert mentions(report, "held checkpoint", "covers 8 events but only 6 remain",
                    "events 7..8 were deleted")


async def test_an_edited_event_with_its_hash_recomputed_is_named(app, client):
    held = await held_checkpoint(app, client)
    await drop_triggers()
    event = await AuditEvent.get(seq=3)
    event.reason = "routed to bvntd by rule 3: category=counterfeit"
    event.hash = commitment(event)  # the insider knows the formula and the salt
    await AuditEvent.filter(id=event.id).update(reason=event.reason, hash=event.hash)

    for report in (await verify(app), await verify(app, held)):
        assert not report.intact and report.first_event == 3
        assert mentions(report, "event 3 differs from the leaf the log recorded")
    assert mentions(await verify(app, held), "held checkpoint", "another root",
                    "an event among 1..8")


async def edit_hidden_by_rebuilding(app) -> None:
    """Event 5 routed elsewhere, and the whole log rebuilt and signed over it with the real key,
    stolen from the server: a second root for size 8."""
    await drop_triggers()
    event = await AuditEvent.get(seq=5)
    event.after = {**event.after, "agency_code": "bvntd"}
    await AuditEvent.filter(id=event.id).update(after=event.after, hash=commitment(event))
    await rewrite_log(app.state.intake.signer)


async def test_an_edit_hidden_by_rebuilding_the_whole_log_contradicts_the_witness(app, client):
    held = await held_checkpoint(app, client)
    await edit_hidden_by_rebuilding(app)

    assert (await verify(app)).intact, "a full rewrite with the key is consistent in itself"
    report = await verify(app, held)
    assert not report.intact
    assert mentions(report, "held checkpoint witness.txt", "another root")


async def test_reordered_events_are_named(app, client):
    held = await held_checkpoint(app, client)
    await drop_triggers()
    # Swap events 3 and 4: each keeps a hash that matches its own content.
    await AuditEvent.filter(seq=3).update(seq=1000)
    await AuditEvent.filter(seq=4).update(seq=3)
    await AuditEvent.filter(seq=1000).update(seq=4)
    report = await verify(app, held)
    assert not report.intact and report.first_event == 3
    assert mentions(report, "event 3 differs from the leaf the log recorded")


async def test_a_deleted_event_in_the_middle_is_named(app, client):
    held = await held_checkpoint(app, client)
    await drop_triggers()
    await AuditEvent.filter(seq=5).delete()
    report = await verify(app, held)
    assert report.first_event == 5 and mentions(report, "event 5 is gone, but the log recorded it")


async def test_a_replaced_signing_key_is_found(app, client):
    held = await held_checkpoint(app, client)
    published = app.state.intake.signer.verifier  # what /audit/key gave everyone
    await drop_triggers()
    event = await AuditEvent.get(seq=2)
    event.reason = "edited"
    await AuditEvent.filter(id=event.id).update(reason=event.reason, hash=commitment(event))
    forged = Signer.generate(published.name)  # a new key in place of the old one
    await rewrite_log(forged)

    # Checked with the key the server now has, the witness's copy does not verify...
    report = await verify(app, held, verifier=forged.verifier)
    assert mentions(report, "held checkpoint witness.txt does not verify",
                    f"signed by {published.name}+{published.hash:08x}",
                    "the signing key was replaced")
    # ...and checked with the published key, nothing the log signed since does.
    report = await verify(app, held, verifier=published)
    assert mentions(report, "checkpoint #", "does not verify", "the signing key was replaced")
    assert mentions(report, "held checkpoint witness.txt", "another root")


async def test_a_checkpoint_rolled_back_in_the_history_is_found(app, client):
    await file_reports(client, 1)
    await integrate(app)
    await file_reports(client, 1)
    await integrate(app)
    await drop_triggers()
    # The insider re-dates the history: the smaller checkpoint now comes last.
    first, second = await LogCheckpoint.all().order_by("id")
    await connections.get("default").execute_script(
        f"UPDATE log_checkpoint SET id = 999 WHERE id = {first.id}")
    report = await verify(app)
    assert mentions(report, "is smaller than an earlier checkpoint", "rolled back")
    assert second.size > first.size


async def test_a_server_with_another_key_refuses_to_start(app, client, settings):
    """A lost key file replaced by a fresh one, or a machine with its own key, would sign a
    log that contradicts every witness: the server says so instead of starting."""
    await held_checkpoint(app, client)
    stranger = replace(settings, audit_key=Signer.generate("testserver/audit").skey)
    with pytest.raises(ForeignKey, match="restore the log's key"):
        async with running_app(stranger):
            pass
