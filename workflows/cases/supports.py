"""A supporting agency's task on a case: who works it and when it is done.

The lead agency adds a supporting agency with the `add_support` case action; from then on the
supporting agency's own staff move its task through `SUPPORT_TRANSITIONS`, here, with the same
permission checks, requirements, optimistic locking and event recording as the case itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.models import Case, CaseSupport
from workflows.cases.refusals import ActionRefused, StaleCase
from workflows.cases.requirements import Step, check_all
from workflows.cases.states import SUPPORT_BY_ACTION
from workflows.cases.transitions import ActionRequest, check_permission
from workflows.i18n.messages import N_
from workflows.reference.loading import ReferenceData


def _task_facts(support: CaseSupport, status: str, assignee_id: int | None) -> dict[str, Any]:
    return {"agency": support.agency_code, "status": status, "assignee_id": assignee_id}


async def take_support_action(case: Case, user: StaffUser, request: ActionRequest,
                              reference: ReferenceData, events: CaseEvents) -> CaseSupport:
    """Apply one action to the user's agency's task on this case."""
    transition = SUPPORT_BY_ACTION.get(request.action)
    support = await CaseSupport.get_or_none(case_id=case.id, agency_code=user.agency_code or "")
    if transition is None or support is None:
        raise ActionRefused(N_("Unknown action."))
    if request.expected_version != support.version:
        raise StaleCase()
    assignee_id: int | None = support.assignee_id  # type: ignore[attr-defined]
    check_permission(transition, support.status, support.agency_code, assignee_id, user,
                     what="task")
    now = dt.datetime.now(dt.UTC)
    step = Step(case, user, request.form, reference, now)
    checked = await check_all(transition.needs, step)
    changes = {**transition.effect(step, checked).fields, "status": transition.target}
    async with in_transaction() as connection:
        updated = await CaseSupport.filter(id=support.id, version=support.version).using_db(
            connection).update(**changes, version=support.version + 1)
        if not updated:
            raise StaleCase()
        await events.record(connection, CaseEvent(
            case, Actor("staff", str(user.id)), transition.action,
            before=_task_facts(support, support.status, assignee_id),
            after=_task_facts(support, changes["status"], changes.get("assignee_id", assignee_id)),
            reason=checked.get("report") or checked.get("reason") or ""))
        fresh = await CaseSupport.filter(id=support.id).using_db(connection).get()
    events.committed()
    return fresh
