"""Checking the audit log from its events up: `intake audit verify`.

The tree is rebuilt from the events as they are stored now, and compared with everything that
remembers an earlier state of it (workflows.audit.remembered): each event's own hash, the leaves
and subtrees the log stored, every checkpoint the log signed, and any checkpoint a witness held.
The report names the first event that differs when the stored leaves can tell which; otherwise
the range a checkpoint covers. It names, too, a gap in the event numbers, an event dated before
what came before it (workflows.audit.timeline), and two signed checkpoints of one size that
disagree: a fork.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from tortoise import connections
from tortoise.expressions import Q

from workflows.audit.entries import event_leaf, void_leaf
from workflows.audit.log import commitment
from workflows.audit.models import AuditEvent, LogNode
from workflows.audit.notes import Verifier
from workflows.audit.remembered import Expected, held_note, remembered
from workflows.audit.timeline import (
    CLOCK_SKEW,
    Dated,
    SigningTimes,
    dated_after_coverage,
    dated_back,
)
from workflows.audit.tree import Frontier, tree_size
from workflows.cases.models import Case

BATCH = 2000
MAX_LISTED = 20  # problems printed; the first ones say where to look
__all__ = ["MAX_LISTED", "LogReport", "held_note", "verify_log"]


@dataclass
class LogReport:
    events: int = 0  # events read
    leaves: int = 0  # the rebuilt tree's size, voids included
    stored_size: int = 0  # the size of the tree the log stored
    checkpoints: int = 0  # signed checkpoints compared, stored and held
    problems: list[str] = field(default_factory=list)
    first_event: int | None = None  # the first event known to differ
    roots_matched: int = 0
    gone: set[int] = field(default_factory=set)  # numbers the log recorded, now with no event
    unheld: set[int] = field(default_factory=set)  # numbers given on SQLite, with no event

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def pending(self) -> int:
        """Leaves written since the last integration: checked by their hash alone."""
        return max(self.leaves - self.stored_size, 0)

    def problem(self, text: str, event: int | None = None) -> None:
        self.problems.append(text)
        if event is not None and (self.first_event is None or event < self.first_event):
            self.first_event = event


async def _stored_nodes(written: list[tuple[int, int, bytes]]) -> dict[tuple[int, int], bytes]:
    """The stored subtrees at the addresses the rebuild just computed (one range per level)."""
    ranges: dict[int, list[int]] = defaultdict(list)
    for level, position, _ in written:
        ranges[level].append(position)
    if not ranges:
        return {}
    wanted = Q(*(Q(level=level, position__gte=min(positions), position__lte=max(positions))
                 for level, positions in ranges.items()), join_type=Q.OR)
    rows = await LogNode.filter(wanted).values_list("level", "position", "hash")
    return {(level, position): bytes(digest) for level, position, digest in rows}


def _compare_nodes(written: list[tuple[int, int, bytes]], voids: set[int],
                   stored: dict[tuple[int, int], bytes], stored_size: int,
                   report: LogReport) -> None:
    for level, position, digest in written:
        first_leaf = position << level
        if first_leaf + (1 << level) > stored_size:
            continue  # not integrated yet
        found = stored.get((level, position))
        if found == digest:
            continue
        if level == 0 and position + 1 in voids and found is not None:
            report.gone.add(position + 1)  # named with its neighbours, as a gap
        elif level == 0:
            event = position + 1
            what = ("is missing from the log's stored leaves" if found is None
                    else "differs from the leaf the log recorded for it")
            report.problem(f"event {event} {what}: it was edited, replaced, reordered or "
                           "deleted after it was logged", event)
        else:
            report.problem(f"the stored subtree over events {first_leaf + 1}.."
                           f"{first_leaf + (1 << level)} does not match them: proofs served "
                           "from it would be false")


def _runs(numbers: set[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for number in sorted(numbers):
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _report_gaps(report: LogReport) -> None:
    for first, last in _runs(report.gone):
        report.problem(
            f"event {first} is gone, but the log recorded it: a gap in the event numbers; it "
            "was deleted after it was logged" if first == last else
            f"events {first}..{last} are gone, but the log recorded them: a gap in the event "
            "numbers; they were deleted after they were logged", first)
    for first, last in _runs(report.unheld - report.gone):
        numbers, them = ((f"number {first} was", "it") if first == last
                         else (f"numbers {first}..{last} were", "them"))
        report.problem(f"event {numbers} given, but no event holds {them}: a gap in the event "
                       "numbers (SQLite leaves none unused): deleted before the log took "
                       f"{them}", first)


def _check_roots(frontier: Frontier, expected: dict[int, list[Expected]], last_good: list[int],
                 report: LogReport) -> None:
    heads = expected.get(frontier.size, [])
    since = last_good[0]  # the largest size known good before this one
    matching = [head for head in heads if head.root == frontier.root]
    others = [head for head in heads if head.root != frontier.root]
    report.checkpoints += len(heads)
    report.roots_matched += len(matching)
    if matching:
        last_good[0] = max(last_good[0], frontier.size)
    changed = (f"an event among {since + 1}..{frontier.size} was changed, inserted or removed "
               "since it was signed")
    if len({head.root for head in heads}) > 1:
        agreeing = (f"the events as stored give the root of {matching[0].label}" if matching
                    else "the events as stored give neither root")
        report.problem(f"two checkpoints of size {frontier.size} disagree: the log was forked. "
                       f"{agreeing}; {', '.join(head.label for head in others)}: another "
                       f"root: {changed}")
        return
    for head in others:
        report.problem(f"{head.label}: the events as stored give another root: {changed}")


def _check_time(event: AuditEvent, previous: Dated | None, times: SigningTimes,
                skew: dt.timedelta, report: LogReport) -> None:
    before = [dated for dated in (previous, times.preceding(event.seq)) if dated]
    for why in (dated_back(event.seq, event.created_at, before, skew),
                dated_after_coverage(event.seq, event.created_at,
                                     times.first_covering(event.seq), skew)):
        if why:
            report.problem(why, event.seq)


async def _events(after: int) -> list[AuditEvent]:
    return await AuditEvent.filter(seq__gt=after).order_by("seq").limit(BATCH)


def _missing_tail(frontier: Frontier, expected: dict[int, list[Expected]],
                  report: LogReport) -> None:
    if report.stored_size > frontier.size:
        report.problem(f"the log holds {report.stored_size} leaves but only {frontier.size} "
                       f"events remain: events {frontier.size + 1}..{report.stored_size} were "
                       "deleted", frontier.size + 1)
    for size in sorted(size for size in expected if size > frontier.size):
        for head in expected[size]:
            report.checkpoints += 1
            report.problem(f"{head.label} covers {size} events but only {frontier.size} "
                           f"remain: events {frontier.size + 1}..{size} were deleted",
                           frontier.size + 1)


async def verify_log(verifier: Verifier, held: dict[str, str] | None = None, *,
                     clock_skew: dt.timedelta = CLOCK_SKEW) -> LogReport:
    """Rebuild the log from the events and report every place where it disagrees with what
    was stored or signed (`held`: checkpoints kept outside, by name)."""
    report, found = LogReport(), await remembered(verifier, held or {})
    for problem in found.problems:
        report.problem(problem)
    expected: dict[int, list[Expected]] = defaultdict(list)
    for head in found.heads:
        expected[head.size].append(head)
    times, previous = SigningTimes(found.signed), None
    sqlite = connections.get("default").capabilities.dialect != "postgres"
    report.stored_size = stored_size = await tree_size()
    frontier, last_good, voids = Frontier(0, []), [0], set[int]()
    while events := await _events(frontier.size):
        codes: dict[int, str] = dict(await Case.filter(
            id__in={event.case_id for event in events if event.case_id}  # type: ignore[attr-defined]
        ).values_list("id", "tracking_code"))
        for event in events:
            while frontier.size + 1 < event.seq:  # a number no event holds: void
                voids.add(frontier.size + 1)
                frontier.append(void_leaf(frontier.size + 1))
                _check_roots(frontier, expected, last_good, report)
            report.events += 1
            if commitment(event) != event.hash:
                report.problem(f"event {event.seq} was changed after it was written: its "
                               "content no longer matches its hash", event.seq)
            _check_time(event, previous, times, clock_skew, report)
            previous = Dated(f"event {event.seq}", event.created_at)
            frontier.append(event_leaf(event, codes.get(event.case_id)))  # type: ignore[attr-defined]
            _check_roots(frontier, expected, last_good, report)
        _compare_nodes(frontier.written, voids, await _stored_nodes(frontier.written),
                       stored_size, report)
        if sqlite:
            report.unheld |= voids
        frontier.written.clear()
        voids.clear()
    report.leaves = frontier.size
    _report_gaps(report)
    _missing_tail(frontier, expected, report)
    return report
