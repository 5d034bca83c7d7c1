"""What each action changes besides the case's status, declared once per action in
`workflows.cases.states.TRANSITIONS`. An effect is pure: from the case and the checked
requirements it returns the field changes, the facts the audit event adds, and any other row
to write in the same transaction (`then`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.cases.models import Case, CaseFeedback, CaseMessage, CaseSupport, SeizedItem
from workflows.i18n.formatting import VIETNAM

# The state in which a case's clock stands still (workflows.cases.states imports this module).
PAUSED_STATE = "waiting"

if TYPE_CHECKING:
    from workflows.cases.requirements import Checked, Step
    from workflows.reference.sla import ServiceLevels

# Another row written with the change, given the updated case; returns facts for listeners.
FollowUp = Callable[[BaseDBAsyncClient, Case], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Changes:
    fields: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)  # added to the audit event's "after"
    then: FollowUp | None = None


Effect = Callable[["Step", "Checked"], Changes]


def end_of_day(day: dt.date) -> dt.datetime:
    """A deadline on a day is its last second in Vietnam, stored in UTC."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=VIETNAM).astimezone(dt.UTC)


def nothing_else(step: Step, checked: Checked) -> Changes:
    return Changes()


def route_to_agency(step: Step, checked: Checked) -> Changes:
    """Triage: the case goes to an agency, whose own service level may be longer."""
    code = checked["agency_code"]
    changes: dict[str, Any] = {"agency_code": code, "assignee_id": None,
                               "alert_undelivered": False}
    agency_due = step.reference.service_levels.due_at(step.case.category, step.case.created_at,
                                                      code)
    if step.case.due_at is None or agency_due > step.case.due_at:
        changes["due_at"] = agency_due
    return Changes(changes)


def transfer(step: Step, checked: Checked) -> Changes:
    """To another agency, which stops supporting the case if it did: it now handles it."""
    code = checked["agency_code"]

    async def stop_supporting(connection: BaseDBAsyncClient, case: Case) -> dict[str, Any]:
        await CaseSupport.filter(case_id=case.id, agency_code=code).using_db(connection).delete()
        return {}

    return Changes({"agency_code": code, "assignee_id": None, "alert_undelivered": False},
                   then=stop_supporting)


def assign(step: Step, checked: Checked) -> Changes:
    return Changes({"assignee_id": checked["assignee"].id})


def ask_and_wait(step: Step, checked: Checked) -> Changes:
    """The clock stops, and the question goes to the reporter (their page, their mail)."""

    async def ask(connection: BaseDBAsyncClient, case: Case) -> dict[str, Any]:
        message = await CaseMessage.create(using_db=connection, case=case, author="agency",
                                           kind="question", body=checked["question"])
        return {"body": message.body}

    return Changes({"paused_at": step.now}, then=ask)


def record_outcome(step: Step, checked: Checked) -> Changes:
    """The outcome and the penalty on the case; the goods seized as their own rows (a
    resolution after a reopening replaces the earlier one's)."""
    keys = ("outcome", "public_outcome", "fine_vnd", "seized_quantity", "seized_value_vnd",
            "legal_basis", "decision_number", "decision_date", "violator_name",
            "violator_tax_code", "violator_kind")
    seized = checked["seized"]

    async def record_seized(connection: BaseDBAsyncClient, case: Case) -> dict[str, Any]:
        await SeizedItem.filter(case_id=case.id).using_db(connection).delete()
        for item in seized:
            await SeizedItem.create(using_db=connection, case=case, name=item.name,
                                    quantity=item.quantity, unit=item.unit,
                                    value_vnd=item.value_vnd, destroyed=item.destroyed)
        return {}

    return Changes({**{key: checked[key] for key in keys}, "resolved_at": step.now},
                   facts={"seized": [item.record() for item in seized]}, then=record_seized)


def reopen(step: Step, checked: Checked) -> Changes:
    """Reopening answers any review the reporter asked for: it is granted, by this reopening.
    When it came from that request, the reporter is told why (a public reason)."""
    granted = bool(step.form.get("review_granted"))

    async def close_reviews(connection: BaseDBAsyncClient, case: Case) -> dict[str, Any]:
        await CaseFeedback.filter(case_id=case.id, review="pending").using_db(connection).update(
            review="granted", decided_by_id=step.user.id, decided_at=step.now,
            decision_reason=checked["reason"])
        return {"body": checked["reason"]} if granted else {}

    return Changes({"resolved_at": None, "duplicate_of_id": None},
                   facts={"review_granted": True} if granted else {}, then=close_reviews)


def extend(step: Step, checked: Checked) -> Changes:
    return Changes({"due_at": end_of_day(checked["due_date"])})


def join_duplicate(step: Step, checked: Checked) -> Changes:
    return Changes({"duplicate_of_id": checked["original"].id})


def restart_clock(step: Step, target: str | None) -> dict[str, Any]:
    """Leaving "waiting" for any other state starts the clock again: the deadline moves by
    the working days spent waiting. (Applied by take_action to every transition, since it
    follows from the state left, not from the action.)"""
    if target in (None, PAUSED_STATE):
        return {}
    return clock_restarted(step.case, step.reference.service_levels, step.now)


def clock_restarted(case: Case, levels: ServiceLevels, now: dt.datetime) -> dict[str, Any]:
    """The changes that start a paused case's clock again, whoever resumes it."""
    if not (case.paused_at and case.due_at):
        return {}
    waited = levels.working_days_between(case.paused_at, now)
    return {"paused_at": None, "due_at": levels.add_working_days(case.due_at, waited)}


def add_support(step: Step, checked: Checked) -> Changes:
    """A supporting agency gets its own task, due when the lead says or with the case."""
    code, case = checked["support_agency"], step.case
    due = (end_of_day(checked["support_due"]) if checked["support_due"] is not None
           else case.due_at or step.reference.service_levels.due_at(case.category, step.now, code))

    async def create_task(connection: BaseDBAsyncClient, fresh: Case) -> dict[str, Any]:
        task = await CaseSupport.create(using_db=connection, case=fresh, agency_code=code,
                                        task=checked["task"], due_at=due)
        return {"support": task}

    return Changes(facts={"agency": code, "due_at": due.isoformat()}, then=create_task)


# A supporting agency's own task (SUPPORT_TRANSITIONS): the changes to its CaseSupport row.

def assign_task(step: Step, checked: Checked) -> Changes:
    return Changes({"assignee_id": checked["assignee"].id})


def task_done(step: Step, checked: Checked) -> Changes:
    return Changes({"report": checked["report"], "completed_at": step.now})


def reopen_task(step: Step, checked: Checked) -> Changes:
    return Changes({"completed_at": None})
