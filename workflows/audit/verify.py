"""Checking the audit log from its events up: `intake audit verify`.

The tree is rebuilt from the events as they are stored now, and compared with everything that
remembers an earlier state of it: each event's own hash, the leaves and subtrees the log stored,
every checkpoint the log signed, and any checkpoint a witness held (the only part an insider
with full database rights and the signing key cannot rewrite). The report names the first event
that differs when the stored leaves can tell which; otherwise the range a checkpoint covers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tortoise.expressions import Q

from workflows.audit.entries import entry_leaf
from workflows.audit.log import commitment, utc_text
from workflows.audit.models import AuditEvent, LogCheckpoint, LogNode
from workflows.audit.notes import Checkpoint, NoteError, Verifier, signature_keys
from workflows.audit.tree import Frontier, tree_size
from workflows.cases.models import Case

BATCH = 2000
BEGIN, END = "-----BEGIN CHECKPOINT-----\n", "-----END CHECKPOINT-----"
MAX_LISTED = 20  # problems printed; the first ones say where to look


def held_note(text: str) -> str:
    """The signed note in a file a witness kept: the note itself, or a whole checkpoint mail
    with the note between its BEGIN and END marks."""
    text = text.replace("\r\n", "\n")
    start = text.find(BEGIN)
    if start < 0:
        return text
    end = text.find(END, start)
    return text[start + len(BEGIN):end if end >= 0 else None]


@dataclass(frozen=True)
class Expected:
    """A root that something remembers for a size of the log."""

    label: str
    size: int
    root: bytes


@dataclass
class LogReport:
    events: int = 0  # events read
    leaves: int = 0  # the rebuilt tree's size, voids included
    stored_size: int = 0  # the size of the tree the log stored
    checkpoints: int = 0  # signed checkpoints compared, stored and held
    problems: list[str] = field(default_factory=list)
    first_event: int | None = None  # the first event known to differ
    roots_matched: int = 0

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


def _signer_of(note: str) -> str:
    keys = signature_keys(note)
    return ", ".join(f"{name}+{key_hash:08x}" for name, key_hash in keys) or "nobody"


def _opened(label: str, note: str, verifier: Verifier, report: LogReport) -> Checkpoint | None:
    try:
        return Checkpoint.parse(verifier.open(note))
    except NoteError as wrong:
        report.problem(f"{label} does not verify with the log's key {verifier.vkey} "
                       f"({wrong}); it is signed by {_signer_of(note)}: the signing key was "
                       "replaced, or the note was altered")
        return None


async def _stored_checkpoints(verifier: Verifier, report: LogReport) -> list[Expected]:
    expected, largest = [], 0
    for stored in await LogCheckpoint.all().order_by("id"):
        label = f"checkpoint #{stored.id} (size {stored.size}, signed {utc_text(stored.signed_at)})"
        head = _opened(label, stored.note, verifier, report)
        if head is None:
            continue
        if (head.size, head.root) != (stored.size, bytes(stored.root)):
            report.problem(f"{label}: its columns differ from its signed note")
        if head.size < largest:
            report.problem(f"{label} is smaller than an earlier checkpoint ({largest}): the log "
                           "was rolled back")
        largest = max(largest, head.size)
        expected.append(Expected(label, head.size, head.root))
    return expected


def _held_checkpoints(held: dict[str, str], verifier: Verifier,
                      report: LogReport) -> list[Expected]:
    expected = []
    for name, note in held.items():
        label = f"held checkpoint {name}"
        head = _opened(label, held_note(note), verifier, report)
        if head is not None:
            expected.append(Expected(f"{label} (size {head.size})", head.size, head.root))
    return expected


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
        if level == 0:
            event = position + 1
            what = ("is gone, but the log recorded it" if event in voids
                    else "is missing from the log's stored leaves" if found is None
                    else "differs from the leaf the log recorded for it")
            report.problem(f"event {event} {what}: it was edited, replaced, reordered or "
                           "deleted after it was logged", event)
        else:
            report.problem(f"the stored subtree over events {first_leaf + 1}.."
                           f"{first_leaf + (1 << level)} does not match them: proofs served "
                           "from it would be false")


async def _events(after: int) -> list[AuditEvent]:
    return await AuditEvent.filter(seq__gt=after).order_by("seq").limit(BATCH)


def _check_roots(frontier: Frontier, expected: dict[int, list[Expected]], last_good: list[int],
                 report: LogReport) -> None:
    for head in expected.get(frontier.size, ()):
        report.checkpoints += 1
        if head.root == frontier.root:
            report.roots_matched += 1
            last_good[0] = max(last_good[0], frontier.size)
            continue
        report.problem(f"{head.label}: the events as stored give another root: an event among "
                       f"{last_good[0] + 1}..{head.size} was changed, inserted or removed "
                       "since it was signed")


async def verify_log(verifier: Verifier, held: dict[str, str] | None = None) -> LogReport:
    """Rebuild the log from the events and report every place where it disagrees with what
    was stored or signed (`held`: checkpoints kept outside, by name)."""
    report = LogReport()
    expected_list = (await _stored_checkpoints(verifier, report)
                     + _held_checkpoints(held or {}, verifier, report))
    expected: dict[int, list[Expected]] = defaultdict(list)
    for head in expected_list:
        expected[head.size].append(head)
    report.stored_size = stored_size = await tree_size()
    frontier, last_good, voids = Frontier(0, []), [0], set[int]()
    while events := await _events(frontier.size):
        codes: dict[int, str] = dict(await Case.filter(
            id__in={event.case_id for event in events if event.case_id}  # type: ignore[attr-defined]
        ).values_list("id", "tracking_code"))
        for event in events:
            while frontier.size + 1 < event.seq:  # a number no event holds: void
                voids.add(frontier.size + 1)
                frontier.append(entry_leaf(None, frontier.size + 1, None))
                _check_roots(frontier, expected, last_good, report)
            report.events += 1
            if commitment(event) != event.hash:
                report.problem(f"event {event.seq} was changed after it was written: its "
                               "content no longer matches its hash", event.seq)
            frontier.append(entry_leaf(event, event.seq, codes.get(event.case_id)))  # type: ignore[attr-defined]
            _check_roots(frontier, expected, last_good, report)
        _compare_nodes(frontier.written, voids, await _stored_nodes(frontier.written),
                       stored_size, report)
        frontier.written.clear()
        voids.clear()
    report.leaves = frontier.size
    if stored_size > frontier.size:
        report.problem(f"the log holds {stored_size} leaves but only {frontier.size} events "
                       f"remain: events {frontier.size + 1}..{stored_size} were deleted",
                       frontier.size + 1)
    for size in sorted(size for size in expected if size > frontier.size):
        for head in expected[size]:
            report.checkpoints += 1
            report.problem(f"{head.label} covers {size} events but only {frontier.size} "
                           f"remain: events {frontier.size + 1}..{size} were deleted",
                           frontier.size + 1)
    return report
