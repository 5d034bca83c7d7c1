"""Time in the audit log runs forward: an event is dated no earlier than the event before it,
nor than the last checkpoint signed before it, and no later than the first checkpoint that
covered it — each within a clock skew (INTAKE_AUDIT_CLOCK_SKEW_SECONDS: machines' clocks differ
a little, and on PostgreSQL an event takes its time a moment before its number).

The sequencer refuses to log an event dated back (workflows.audit.sequencer) and `intake audit
verify` names one; an event dated after a checkpoint that already covered its number took a
number that was given before (or had its date changed).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.heads import DATED_BACK, Refusal
from workflows.audit.log import utc_text
from workflows.audit.models import AuditEvent, LogCheckpoint

CLOCK_SKEW = dt.timedelta(minutes=5)


def span(earlier: dt.datetime, later: dt.datetime) -> str:
    """How far apart two moments are, as a person reads it: 30 days, 2 h 5 min, 40 s."""
    seconds = int((later - earlier).total_seconds())
    if seconds >= 2 * 86400:
        return f"{round(seconds / 86400)} days"
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


@dataclass(frozen=True)
class Dated:
    """Something the log dates: an event (`what` = "event 7") or a signed checkpoint."""

    what: str
    at: dt.datetime


def dated_back(seq: int, at: dt.datetime, before: list[Dated],
               skew: dt.timedelta) -> str | None:
    """Why event `seq`, dated `at`, cannot follow what came before it in the log (the event
    before it, the last checkpoint signed before it); None when it can."""
    for earlier in before:
        if at < earlier.at - skew:
            verb = "before" if earlier.what.startswith("event") else "before the signing of"
            return (f"event {seq} is dated {utc_text(at)}, {span(at, earlier.at)} {verb} "
                    f"{earlier.what} ({utc_text(earlier.at)}), which came before it in the log: "
                    f"time ran backwards (clock skew allowed: {int(skew.total_seconds())} s)")
    return None


class SigningTimes:
    """When the log's checkpoints were signed, by size: which came before an event, and which
    first covered it."""

    def __init__(self, heads: list[tuple[int, Dated]]) -> None:
        heads = sorted(heads, key=lambda head: (head[0], head[1].at))
        self.sizes = [size for size, _ in heads]
        self.before: list[Dated] = []  # the latest signed among heads[:i + 1]
        for _, dated in heads:
            last = self.before[-1] if self.before else None
            self.before.append(last if last and last.at >= dated.at else dated)
        self.covering: list[Dated] = []  # the earliest signed among heads[i:], built backwards
        for _, dated in reversed(heads):
            later = self.covering[-1] if self.covering else None
            self.covering.append(later if later and later.at <= dated.at else dated)
        self.covering.reverse()

    def preceding(self, seq: int) -> Dated | None:
        """The last checkpoint signed before event `seq` entered the log (size < seq)."""
        index = bisect.bisect_left(self.sizes, seq)
        return self.before[index - 1] if index else None

    def first_covering(self, seq: int) -> Dated | None:
        """The earliest signed of the checkpoints that include event `seq` (size >= seq)."""
        index = bisect.bisect_left(self.sizes, seq)
        return self.covering[index] if index < len(self.sizes) else None


def dated_after_coverage(seq: int, at: dt.datetime, covering: Dated | None,
                         skew: dt.timedelta) -> str | None:
    if covering is None or at <= covering.at + skew:
        return None
    return (f"event {seq} is dated {utc_text(at)}, {span(covering.at, at)} after "
            f"{covering.what} already covered it ({utc_text(covering.at)}): its number was "
            "given twice, or its date was changed")


async def in_time(connection: BaseDBAsyncClient, events: list[AuditEvent], size: int,
                   head: LogCheckpoint | None,
                   skew: dt.timedelta) -> tuple[list[AuditEvent], Refusal | None]:
    """The events up to the first one dated before what precedes it in the log (the event
    before it, the last checkpoint signed before it), and the refusal of that one."""
    last = await (AuditEvent.filter(seq__lte=size).using_db(connection).order_by("-seq")
                  .only("seq", "created_at").first())
    previous = Dated(f"event {last.seq}", last.created_at) if last else None
    signed = Dated(f"checkpoint #{head.id} (size {head.size})", head.signed_at) if head else None
    for index, event in enumerate(events):
        before = [dated for dated in (previous, signed if head and event.seq > head.size
                                      else None) if dated]
        if why := dated_back(event.seq, event.created_at, before, skew):
            return events[:index], Refusal(
                DATED_BACK, f"{DATED_BACK}:{event.seq}",
                f"{why}. It and every event after it wait outside the log.", head, event.seq)
        previous = Dated(f"event {event.seq}", event.created_at)
    return events, None
