"""`intake audit verify`'s findings word for word, with its counts (workflows.audit.verify):
the sentence a reader acts on names the events, the range and the cause, so each is checked
whole. What an insider with database rights leaves behind, one edit per test (issue 40: the
partial checks let mutated messages through). On both databases where the code differs."""

from __future__ import annotations

import re

import pytest

from tests.workflows.audit.test_log import drop_triggers, file_reports, integrate
from tests.workflows.audit.test_tampering import edit_hidden_by_rebuilding, held_checkpoint, verify
from workflows.audit.log import commitment
from workflows.audit.models import AuditEvent, LogCheckpoint, LogNode
from workflows.audit.verify import LogReport

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")
CHANGED = "an event among 1..{size} was changed, inserted or removed since it was signed"
EDITED = ("event {seq} differs from the leaf the log recorded for it: it was edited, replaced, "
          "reordered or deleted after it was logged")
SUBTREE = ("the stored subtree over events {first}..{last} does not match them: proofs served "
           "from it would be false")


def said(report: LogReport) -> list[str]:
    """The problems, with the signing times (which vary) written <time>."""
    return [STAMP.sub("<time>", problem) for problem in report.problems]


def another_root(label: str, size: int = 8) -> str:
    return f"{label}: the events as stored give another root: {CHANGED.format(size=size)}"


def subtrees(*ranges: tuple[int, int]) -> list[str]:
    return [SUBTREE.format(first=first, last=last) for first, last in ranges]


async def test_an_intact_log_counts_what_it_checked_and_what_waits(app, client):
    held = await held_checkpoint(app, client)
    report = await verify(app, held)
    assert (report.events, report.leaves, report.stored_size, report.checkpoints,
            report.roots_matched, report.pending) == (8, 8, 8, 2, 2, 0)
    assert report.intact and report.first_event is None
    await file_reports(client, 1)  # two events the sequencer has not taken yet
    report = await verify(app, held)
    assert (report.events, report.leaves, report.stored_size, report.pending) == (10, 10, 8, 2)
    assert report.intact


async def test_checkpoints_of_every_size_are_counted(app, client):
    await file_reports(client, 1)
    await integrate(app)  # size 2
    await file_reports(client, 4)
    held = (await integrate(app)).checkpoint.note  # size 10, and a witness's copy of it
    report = await verify(app, held)
    assert (report.checkpoints, report.roots_matched, report.events) == (3, 3, 10)


async def test_an_edit_with_the_hash_recomputed_names_the_event_and_its_subtrees(app, client):
    held = await held_checkpoint(app, client)
    await drop_triggers()
    event = await AuditEvent.get(seq=3)
    event.reason = "routed to bvntd by rule 3: category=counterfeit"
    await AuditEvent.filter(id=event.id).update(reason=event.reason, hash=commitment(event))
    report = await verify(app, held)
    assert said(report) == [
        another_root("checkpoint #1 (size 8, signed <time>)"),
        another_root("held checkpoint witness.txt (size 8)"),
        EDITED.format(seq=3), *subtrees((3, 4), (1, 4), (1, 8))]
    assert (report.first_event, report.checkpoints, report.roots_matched) == (3, 2, 0)


async def test_an_edit_that_leaves_the_hash_is_named_as_such(app, client):
    await file_reports(client, 2)
    await integrate(app)
    await drop_triggers()
    await AuditEvent.filter(seq=2).update(reason="routed nowhere")
    report = await verify(app)
    assert said(report)[0] == ("event 2 was changed after it was written: its content no "
                               "longer matches its hash")
    assert report.first_event == 2


async def test_a_stored_leaf_deleted_is_named_missing(app, client):
    await held_checkpoint(app, client)
    await drop_triggers()
    await LogNode.filter(level=0, position=5).delete()
    report = await verify(app)
    assert said(report) == [
        "event 6 is missing from the log's stored leaves: it was edited, replaced, reordered "
        "or deleted after it was logged"]
    assert report.first_event == 6 and report.roots_matched == 1


async def test_tail_events_deleted_under_the_stored_tree_are_named(app, client):
    held = await held_checkpoint(app, client)
    await drop_triggers()
    await AuditEvent.filter(seq__gt=6).delete()
    report = await verify(app, held)
    assert said(report) == [
        "the log holds 8 leaves but only 6 events remain: events 7..8 were deleted",
        "checkpoint #1 (size 8, signed <time>) covers 8 events but only 6 remain: events 7..8 "
        "were deleted",
        "held checkpoint witness.txt (size 8) covers 8 events but only 6 remain: events 7..8 "
        "were deleted"]
    assert (report.first_event, report.checkpoints, report.events) == (7, 2, 6)


async def test_tail_events_and_checkpoints_deleted_are_named_from_the_stored_tree(app, client):
    await held_checkpoint(app, client)
    await drop_triggers()
    await AuditEvent.filter(seq__gt=6).delete()
    await LogCheckpoint.all().delete()
    report = await verify(app)
    assert said(report) == [
        "the log holds 8 leaves but only 6 events remain: events 7..8 were deleted"]
    assert report.first_event == 7


async def test_one_event_and_a_run_of_events_deleted_are_gaps(app, client):
    await held_checkpoint(app, client)
    await drop_triggers()
    await AuditEvent.filter(seq__in=[2, 5, 6, 7]).delete()
    report = await verify(app)
    assert said(report)[-2:] == [
        "event 2 is gone, but the log recorded it: a gap in the event numbers; it was deleted "
        "after it was logged",
        "events 5..7 are gone, but the log recorded them: a gap in the event numbers; they were "
        "deleted after they were logged"]
    assert report.first_event == 2 and report.gone == {2, 5, 6, 7}


async def test_a_fork_names_the_checkpoint_the_events_match(app, client):
    held = await held_checkpoint(app, client)
    await edit_hidden_by_rebuilding(app)  # a second signed root for size 8
    report = await verify(app, held)
    assert said(report) == [
        "two checkpoints of size 8 disagree: the log was forked. the events as stored give the "
        "root of checkpoint #2 (size 8, signed <time>); held checkpoint witness.txt (size 8): "
        f"another root: {CHANGED.format(size=8)}"]
    assert (report.roots_matched, report.checkpoints, report.first_event) == (1, 2, None)


async def test_a_fork_where_the_events_match_neither_root(app, client):
    held = await held_checkpoint(app, client)
    await edit_hidden_by_rebuilding(app)  # a second signed root for size 8
    event = await AuditEvent.get(seq=2)
    event.reason = "edited once more"
    await AuditEvent.filter(id=event.id).update(reason=event.reason, hash=commitment(event))
    report = await verify(app, held)
    assert said(report)[0] == (
        "two checkpoints of size 8 disagree: the log was forked. the events as stored give "
        "neither root; checkpoint #2 (size 8, signed <time>), held checkpoint witness.txt "
        f"(size 8): another root: {CHANGED.format(size=8)}")
    assert report.roots_matched == 0 and report.checkpoints == 2


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_numbers_given_with_no_event_on_sqlite_are_a_gap(app, client):
    await file_reports(client, 1)  # events 1 and 2
    await drop_triggers()
    await AuditEvent.filter(seq=2).delete()
    await file_reports(client, 1)  # 3 and 4
    await AuditEvent.filter(seq=3).delete()
    await file_reports(client, 1)  # 5 and 6
    await integrate(app)
    report = await verify(app)
    assert said(report) == [
        "event numbers 2..3 were given, but no event holds them: a gap in the event numbers "
        "(SQLite leaves none unused): deleted before the log took them"]
    assert report.unheld == {2, 3} and report.first_event == 2
