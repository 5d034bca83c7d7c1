"""The one function that changes a case's state: `take_action()`.

It looks the action up in `workflows.cases.states.TRANSITIONS`, checks the user's role and
agency, runs the requirements the transition names and its one effect; then, in one
transaction, updates the case only if nobody changed it meanwhile (its version) and records the
event, whose listener writes the audit trail and queues the mail it causes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.access.roles import AGENCY_ROLES, INSPECTOR
from workflows.audit.log import Actor
from workflows.cases.effects import restart_clock
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.models import Case
from workflows.cases.refusals import ActionRefused, StaleCase
from workflows.cases.requirements import Step, check_all
from workflows.cases.sealing import CANNOT_ASK_OUTSIDE, is_sealed
from workflows.cases.states import BY_ACTION, Transition
from workflows.figures.frozen import counted_before, record_corrections
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_
from workflows.reference.loading import ReferenceData

# Kept out of the audit event's before/after: a time the event itself carries.
NOT_SNAPSHOTTED = frozenset({"resolved_at"})


@dataclass(frozen=True)
class ActionRequest:
    action: str
    expected_version: int
    form: Mapping[str, str] = field(default_factory=dict)  # what the person typed, by field


def check_permission(transition: Transition, status: str, agency_code: str | None,
                     assignee_id: int | None, user: StaffUser, what: str = "case") -> None:
    if status not in transition.sources:
        message = (N_("This action is not possible while the case is “{status}”.") if what == "case"
                   else N_("This action is not possible while the task is “{status}”."))
        raise ActionRefused(message, status=status)
    if user.role not in transition.roles:
        raise ActionRefused(N_("Your role may not take this action."))
    if user.role in AGENCY_ROLES and user.agency_code != agency_code:
        raise ActionRefused(N_("Only the agency handling the case may take this action.")
                            if what == "case" else
                            N_("Only the supporting agency may take this action."))
    if user.role == INSPECTOR and transition.assignee_only and assignee_id != user.id:
        raise ActionRefused(N_("Only the inspector the case is assigned to may do this.")
                            if what == "case" else
                            N_("Only the inspector the task is assigned to may do this."))


def may_take(transition: Transition, status: str, agency_code: str | None,
             assignee_id: int | None, user: StaffUser, what: str = "case") -> bool:
    """Whether `check_permission` lets this user take it: the page offers only what the
    action itself would accept (an inspector, only on the cases and tasks assigned to them)."""
    try:
        check_permission(transition, status, agency_code, assignee_id, user, what)
    except ActionRefused:
        return False
    return True


def snapshot(record: Any, keys: list[str]) -> dict[str, Any]:
    values = {key: getattr(record, key) for key in keys}
    return {key: value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
            for key, value in values.items()}


async def take_action(case: Case, user: StaffUser, request: ActionRequest,
                      reference: ReferenceData, events: CaseEvents) -> Case:
    transition = BY_ACTION.get(request.action)
    if transition is None:
        raise ActionRefused(N_("Unknown action."))
    if request.expected_version != case.version:
        raise StaleCase()
    check_permission(transition, case.status, case.agency_code,
                     case.assignee_id, user)  # type: ignore[attr-defined]
    if transition.asks_outside and is_sealed(case):
        raise ActionRefused(CANNOT_ASK_OUTSIDE)
    now = dt.datetime.now(dt.UTC)
    step = Step(case, user, request.form, reference, now)
    checked = await check_all(transition.needs, step)
    effect = transition.effect(step, checked)
    changes = {**effect.fields, **restart_clock(step, transition.target)}
    if transition.target:
        changes["status"] = transition.target
    keys = sorted(key for key in changes if key not in NOT_SNAPSHOTTED)
    before = snapshot(case, keys)
    running_month = reference.calendar.month(now.astimezone(VIETNAM).date())
    async with in_transaction() as connection:
        counted = await counted_before(connection, case, running_month)
        updated = await Case.filter(id=case.id, version=request.expected_version).using_db(
            connection).update(**changes, version=request.expected_version + 1, updated_at=now)
        if not updated:
            raise StaleCase()
        fresh = await Case.filter(id=case.id).using_db(connection).get()
        facts = await effect.then(connection, fresh) if effect.then else {}
        await record_corrections(connection, counted, fresh, running_month, now)
        await events.record(connection, CaseEvent(
            fresh, Actor("staff", str(user.id)), transition.action, before=before,
            after={**snapshot(fresh, keys), **effect.facts},
            reason=checked.get("reason") or checked.get("task") or checked.get("question") or "",
            facts=facts))
    events.committed()
    return fresh
