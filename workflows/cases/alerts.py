"""An agency alert that could not be delivered: the case is flagged so that an officer phones
the agency instead, and the trail says so (with the mail server's answer)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.models import Case

# No mail follows from a failed mail: this event has no listener.
_RECORDER = CaseEvents()


async def flag_undelivered(connection: BaseDBAsyncClient, case_id: int, recipient: str,
                           detail: str) -> None:
    case = await Case.filter(id=case_id).using_db(connection).get()
    await Case.filter(id=case.id).using_db(connection).update(alert_undelivered=True)
    await _RECORDER.record(connection, CaseEvent(
        case, Actor.system(), "alert_undelivered",
        before={"alert_undelivered": case.alert_undelivered},
        after={"alert_undelivered": True, "recipient": recipient}, reason=detail))
