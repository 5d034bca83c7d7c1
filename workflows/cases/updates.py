"""The public updates of a case: what its reporter and the public may learn as it moves — a
public reply, a new status, the outcome. One listener on the case events writes them, in the
transaction of the change, so the Open311 updates feed and the status notes never miss one
and never show one that did not happen."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.models import AuditEvent
from workflows.cases.events import CaseEvent
from workflows.cases.models import CaseUpdate

# A reply's text is in the event's facts; an outcome's on the case; a status change tells
# itself (the feed adds a sentence for it).
TEXT_FROM_FACTS = frozenset({"public_reply"})
TEXT_FROM_OUTCOME = frozenset({"resolve"})


def _status_changed(event: CaseEvent) -> bool:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    return "status" in after and after["status"] != before.get("status")


async def record_public_update(connection: BaseDBAsyncClient, event: CaseEvent,
                               recorded: AuditEvent) -> None:
    """An EventListener: a public update for each reply and each change of status."""
    case = event.case
    if case is None or not (event.action in TEXT_FROM_FACTS or _status_changed(event)):
        return
    if event.action in TEXT_FROM_FACTS:
        text = str(event.facts.get("body", ""))
    elif event.action in TEXT_FROM_OUTCOME:
        text = case.public_outcome
    else:
        text = ""
    await CaseUpdate.create(
        using_db=connection, case_id=case.id, action=event.action, status=case.status,
        outcome=case.outcome if event.action in TEXT_FROM_OUTCOME else "", description=text,
        created_at=recorded.created_at)
