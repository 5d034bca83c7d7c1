"""What remembers an earlier state of the audit log, for `intake audit verify`: the checkpoints
the log signed (stored with it) and the ones witnesses hold (brought from outside, the only
part an insider with full database rights and the signing key cannot rewrite)."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.audit.log import utc_text
from workflows.audit.models import LogCheckpoint
from workflows.audit.notes import Checkpoint, NoteError, Verifier, signature_keys
from workflows.audit.timeline import Dated

BEGIN, END = "-----BEGIN CHECKPOINT-----\n", "-----END CHECKPOINT-----"


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
class Remembered:
    """Every head that verifies, and when the log signed those it stored."""

    heads: list[Expected]
    signed: list[tuple[int, Dated]]  # (size, when and which) of each stored checkpoint
    problems: list[str]


def _signer_of(note: str) -> str:
    keys = signature_keys(note)
    return ", ".join(f"{name}+{key_hash:08x}" for name, key_hash in keys) or "nobody"


def _opened(label: str, note: str, verifier: Verifier, found: Remembered) -> Checkpoint | None:
    try:
        return Checkpoint.parse(verifier.open(note))
    except NoteError as wrong:
        found.problems.append(
            f"{label} does not verify with the log's key {verifier.vkey} ({wrong}); it is signed "
            f"by {_signer_of(note)}: the signing key was replaced, or the note was altered")
        return None


async def _stored(verifier: Verifier, found: Remembered) -> None:
    largest = 0
    for stored in await LogCheckpoint.all().order_by("id"):
        label = f"checkpoint #{stored.id} (size {stored.size}, signed {utc_text(stored.signed_at)})"
        head = _opened(label, stored.note, verifier, found)
        if head is None:
            continue
        if (head.size, head.root) != (stored.size, bytes(stored.root)):
            found.problems.append(f"{label}: its columns differ from its signed note")
        if head.size < largest:
            found.problems.append(f"{label} is smaller than an earlier checkpoint ({largest}): "
                                  "the log was rolled back")
        largest = max(largest, head.size)
        found.heads.append(Expected(label, head.size, head.root))
        found.signed.append((head.size, Dated(f"checkpoint #{stored.id} (size {head.size})",
                                              stored.signed_at)))


def _held(held: dict[str, str], verifier: Verifier, found: Remembered) -> None:
    for name, note in held.items():
        label = f"held checkpoint {name}"
        head = _opened(label, held_note(note), verifier, found)
        if head is not None:
            found.heads.append(Expected(f"{label} (size {head.size})", head.size, head.root))


async def remembered(verifier: Verifier, held: dict[str, str]) -> Remembered:
    """The heads signed with the log's key, stored and held; the notes that do not verify
    are problems."""
    found = Remembered([], [], [])
    await _stored(verifier, found)
    _held(held, verifier, found)
    return found
