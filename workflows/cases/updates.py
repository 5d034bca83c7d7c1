"""The public updates of a case: what its reporter and the public may learn as it moves — a
public reply or question, a new status, the outcome — as each event's declaration says
(`Told`, in `workflows.cases.states.EVENTS`). One listener on the case events writes them, in
the transaction of the change, so the Open311 updates feed and the status notes never miss
one and never show one that did not happen. A supporting agency's own task is internal: its
steps are not updates."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.models import AuditEvent
from workflows.cases.actions import JOINED_OUTCOME, OUTCOME, SAID
from workflows.cases.events import CaseEvent
from workflows.cases.models import Case, CaseUpdate
from workflows.cases.sealing import is_sealed
from workflows.cases.states import BY_ACTION, EVENTS, SETTLED_STATES


def _status_changed(event: CaseEvent) -> bool:
    """A step of the case's own workflow that moved it (the reporter's answer resumes it too)."""
    if event.action not in BY_ACTION:
        return False
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    return "status" in after and after["status"] != before.get("status")


async def _add(connection: BaseDBAsyncClient, case: Case, action: str, text: str,
               recorded: AuditEvent) -> None:
    await CaseUpdate.create(
        using_db=connection, case_id=case.id, action=action, status=case.status,
        outcome=case.outcome if case.status in SETTLED_STATES else "", description=text,
        created_at=recorded.created_at)


def is_public_update(event: CaseEvent) -> bool:
    """Whether the event is something the public learns, as its declaration says (a message,
    a new status); nothing of a case with the police (workflows.cases.sealing)."""
    told = EVENTS[event.action].told if event.action in EVENTS else None
    return (event.case is not None and told is not None and not is_sealed(event.case)
            and (told.always or _status_changed(event)))


def public_text(event: CaseEvent, case: Case) -> str:
    """The words of a public update ("" when the step tells itself)."""
    told = EVENTS[event.action].told if event.action in EVENTS else None
    if told is None or not told.words:
        return ""
    if told.words == SAID:
        return str(event.facts.get("body", ""))
    assert told.words == OUTCOME
    return case.public_outcome


async def record_public_update(connection: BaseDBAsyncClient, event: CaseEvent,
                               recorded: AuditEvent) -> None:
    """An EventListener: a public update for each event its declaration makes public. A
    resolution also tells the reporters of the duplicates joined to the case."""
    case = event.case
    if case is None or not is_public_update(event):
        return
    await _add(connection, case, event.action, public_text(event, case), recorded)
    told = EVENTS[event.action].told
    if told is None or told.words != OUTCOME:
        return
    for duplicate in await Case.filter(duplicate_of_id=case.id).using_db(connection):
        await _add(connection, duplicate, JOINED_OUTCOME, case.public_outcome, recorded)
