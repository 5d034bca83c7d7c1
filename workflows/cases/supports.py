"""A supporting agency's task on a case: who works it and when it is done.

The lead agency adds a supporting agency with the `add_support` case action
(`workflows.transitions`); from then on the supporting agency's own staff move its task through
`workflows.states.SUPPORT_TRANSITIONS`, here, with the same optimistic locking and audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.audit.log import Actor, append_event
from workflows.cases.models import Case, CaseSupport
from workflows.cases.states import SUPPORT_BY_ACTION, Transition
from workflows.cases.transitions import MAX_REASON_CHARS, ActionRefused, StaleCase
from workflows.i18n.messages import N_


@dataclass(frozen=True)
class SupportRequest:
    action: str
    expected_version: int
    assignee_id: int | None = None
    text: str = ""  # the report when done, the reason when reopened


def _check_permission(transition: Transition, support: CaseSupport, user: StaffUser) -> None:
    if support.status not in transition.sources:
        raise ActionRefused(N_("This action is not possible while the task is “{status}”."),
                            status=support.status)
    if user.role not in transition.roles or user.agency_code != support.agency_code:
        raise ActionRefused(N_("Only the supporting agency may take this action."))
    if (user.role == "inspector"
            and support.assignee_id != user.id):  # type: ignore[attr-defined]
        raise ActionRefused(N_("Only the inspector the task is assigned to may do this."))


async def _changes(transition: Transition, support: CaseSupport,
                   request: SupportRequest) -> dict[str, object]:
    changes: dict[str, object] = {"status": transition.target}
    text = request.text.strip()
    if transition.needs & {"report", "reason"} and not text:
        raise ActionRefused(N_("Write what was done.") if "report" in transition.needs
                            else N_("Give a reason."))
    if len(text) > MAX_REASON_CHARS:
        raise ActionRefused(N_("The reason may have at most {limit} characters."),
                            limit=MAX_REASON_CHARS)
    if "assignee" in transition.needs:
        assignee = await StaffUser.get_or_none(id=request.assignee_id or 0, active=True,
                                               agency_code=support.agency_code,
                                               role__in=["lead", "inspector"])
        if assignee is None:
            raise ActionRefused(N_("Choose an inspector of your agency."))
        changes["assignee_id"] = assignee.id
    if "report" in transition.needs:
        changes.update(report=text, completed_at=dt.datetime.now(dt.UTC))
    if transition.action == "support_reopen":
        changes["completed_at"] = None
    return changes


async def take_support_action(case: Case, user: StaffUser, request: SupportRequest) -> CaseSupport:
    """Apply one action to the user's agency's task on this case."""
    transition = SUPPORT_BY_ACTION.get(request.action)
    support = await CaseSupport.get_or_none(case_id=case.id, agency_code=user.agency_code or "")
    if transition is None or support is None:
        raise ActionRefused(N_("Unknown action."))
    if request.expected_version != support.version:
        raise StaleCase()
    _check_permission(transition, support, user)
    changes = await _changes(transition, support, request)
    async with in_transaction() as connection:
        updated = await CaseSupport.filter(id=support.id, version=support.version).using_db(
            connection).update(**changes, version=support.version + 1)
        if not updated:
            raise StaleCase()
        await append_event(
            connection, case=case, actor=Actor("staff", str(user.id)), action=transition.action,
            before={"agency": support.agency_code, "status": support.status,
                    "assignee_id": support.assignee_id},  # type: ignore[attr-defined]
            after={"agency": support.agency_code, "status": changes["status"],
                   "assignee_id": changes.get("assignee_id",
                                              support.assignee_id)},  # type: ignore[attr-defined]
            reason=request.text.strip())
        return await CaseSupport.filter(id=support.id).using_db(connection).get()
