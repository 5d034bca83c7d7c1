"""What happened to a case, recorded in one place: `CaseEvents.record()` writes the audit event
and hands the event to its listeners (the mail notifier) inside the transaction that makes the
change, so the trail and the mail exist if and only if the change does. Callers never write
audit events or queue mail themselves."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.log import NewEvent, append_events
from workflows.audit.models import AuditEvent


@dataclass(frozen=True)
class CaseEvent(NewEvent):
    """A change to a case as the audit trail records it, and what the listeners also need."""

    # What listeners need and the audit trail must not keep: a reply's text, a new task's row.
    facts: Mapping[str, Any] = field(default_factory=dict)


class EventListener(Protocol):
    """Called for each recorded event; it may answer with more events the change causes (a
    brand owner asked because a case reached an agency), recorded after it in the same
    transaction."""

    async def __call__(self, connection: BaseDBAsyncClient, event: CaseEvent,
                       recorded: AuditEvent) -> Sequence[CaseEvent] | None: ...


class UndeclaredEvent(LookupError):
    """An event no declaration names (workflows.cases.states.EVENTS): what would the
    timeline, the public and the mail make of it?"""


class CaseEvents:
    def __init__(self, listeners: Sequence[EventListener] = (),
                 after_commit: Callable[[], None] | None = None,
                 declared: Collection[str] | None = None) -> None:
        self.listeners = tuple(listeners)
        self._after_commit = after_commit
        self.declared = declared  # the events that may be recorded (None: any)

    async def record(self, connection: BaseDBAsyncClient, event: CaseEvent) -> AuditEvent:
        """Call inside the transaction that makes the change."""
        [recorded] = await self.record_all(connection, [event])
        return recorded

    async def record_all(self, connection: BaseDBAsyncClient,
                         events: Sequence[CaseEvent]) -> list[AuditEvent]:
        """Several events of one change, in order, written together; each then reaches the
        listeners, and what they answer is recorded next."""
        if self.declared is not None:
            for event in events:
                if event.action not in self.declared:
                    raise UndeclaredEvent(event.action)
        recorded = await append_events(connection, events)
        caused: list[CaseEvent] = []
        for event, entry in zip(events, recorded, strict=True):
            for listener in self.listeners:
                caused.extend(await listener(connection, event, entry) or ())
        if caused:
            await self.record_all(connection, caused)
        return recorded

    def committed(self) -> None:
        """Call once the transaction has committed: the mail it queued can go now."""
        if self._after_commit is not None:
            self._after_commit()

