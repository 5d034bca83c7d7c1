"""The one function that changes a case's state: `take_action()`.

It checks the action against `workflows.states.TRANSITIONS`, the user's role and agency, and
what the action needs; then, in one transaction, updates the case only if nobody changed it
meanwhile (its version), writes the audit event and queues the mail the change causes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.audit.log import Actor, append_event
from workflows.cases.models import Case, CaseSupport
from workflows.cases.states import BY_ACTION, OUTCOMES, SETTLED_STATES, Transition
from workflows.cases.tracking import normalize_tracking_code
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_
from workflows.mail.notifications import Notifier
from workflows.reference.loading import ReferenceData

MAX_REASON_CHARS = 2000
AGENCY_ROLES = frozenset({"lead", "inspector"})
# Actions an inspector may take only on a case assigned to them.
ASSIGNEE_ACTIONS = frozenset({"start", "wait", "resume", "resolve"})


class ActionRefused(Exception):
    """The action cannot be taken; `message` is an English gettext id with {placeholders}."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params


class StaleCase(ActionRefused):
    def __init__(self) -> None:
        super().__init__(N_("This case was changed by someone else meanwhile. "
                            "Reload it, check, and try again."))


@dataclass(frozen=True)
class ActionRequest:
    action: str
    expected_version: int
    reason: str = ""
    agency_code: str = ""
    assignee_id: int | None = None
    outcome: str = ""
    public_outcome: str = ""
    fine_vnd: int | None = None
    seized_quantity: int | None = None
    seized_value_vnd: int | None = None
    legal_basis: str = ""
    due_date: dt.date | None = None
    duplicate_of_code: str = ""
    task: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


def _check_permission(transition: Transition, case: Case, user: StaffUser) -> None:
    if case.status not in transition.sources:
        raise ActionRefused(N_("This action is not possible while the case is “{status}”."),
                            status=case.status)
    if user.role not in transition.roles:
        raise ActionRefused(N_("Your role may not take this action."))
    if user.role in AGENCY_ROLES and user.agency_code != case.agency_code:
        raise ActionRefused(N_("Only the agency handling the case may take this action."))
    if (user.role == "inspector" and transition.action in ASSIGNEE_ACTIONS
            and case.assignee_id != user.id):  # type: ignore[attr-defined]
        raise ActionRefused(N_("Only the inspector the case is assigned to may do this."))


async def _changes(transition: Transition, case: Case, request: ActionRequest,
                   reference: ReferenceData) -> dict[str, Any]:
    """The new field values, after checking everything the action needs."""
    needs = transition.needs
    changes: dict[str, Any] = {}
    if "reason" in needs and not request.reason.strip():
        raise ActionRefused(N_("Give a reason."))
    if len(request.reason) > MAX_REASON_CHARS:
        raise ActionRefused(N_("The reason may have at most {limit} characters."),
                            limit=MAX_REASON_CHARS)
    if "agency" in needs:
        if request.agency_code not in reference.agencies:
            raise ActionRefused(N_("Choose an agency."))
        if request.agency_code == case.agency_code:
            raise ActionRefused(N_("The case is already with this agency."))
        changes.update(agency_code=request.agency_code, assignee_id=None,
                       alert_undelivered=False)
    if transition.action == "triage":
        # The case now has an agency, whose own service level may be longer than the default.
        agency_due = reference.service_levels.due_at(case.category, case.created_at,
                                                     request.agency_code)
        if case.due_at is None or agency_due > case.due_at:
            changes["due_at"] = agency_due
    if "duplicate_of" in needs:
        changes["duplicate_of_id"] = (await _original_of(case, request.duplicate_of_code)).id
    if "support" in needs:
        await _check_support(case, request, reference)
    if "assignee" in needs:
        assignee = await StaffUser.get_or_none(id=request.assignee_id or 0, active=True)
        if (assignee is None or assignee.role not in AGENCY_ROLES
                or assignee.agency_code != case.agency_code):
            raise ActionRefused(N_("Choose an inspector of the agency handling the case."))
        changes["assignee_id"] = assignee.id
    if "outcome" in needs:
        if request.outcome not in OUTCOMES:
            raise ActionRefused(N_("Choose the outcome."))
        if not request.public_outcome.strip():
            raise ActionRefused(N_("Write the outcome the reporter and the public will read."))
        amounts = (request.fine_vnd, request.seized_quantity, request.seized_value_vnd)
        if any(amount is not None and amount < 0 for amount in amounts):
            raise ActionRefused(N_("Amounts cannot be negative."))
        changes.update(outcome=request.outcome, public_outcome=request.public_outcome.strip(),
                       fine_vnd=request.fine_vnd, seized_quantity=request.seized_quantity,
                       seized_value_vnd=request.seized_value_vnd,
                       legal_basis=request.legal_basis.strip(),
                       resolved_at=dt.datetime.now(dt.UTC))
    if "due_date" in needs:
        current = case.due_at.astimezone(VIETNAM).date() if case.due_at else None
        if request.due_date is None or (current and request.due_date <= current):
            raise ActionRefused(N_("Choose a new due date after the current one."))
        changes["due_at"] = dt.datetime.combine(
            request.due_date, dt.time(23, 59, 59), tzinfo=VIETNAM).astimezone(dt.UTC)
    if transition.action == "reopen":
        changes.update(resolved_at=None, duplicate_of_id=None)
    if transition.action == "wait":
        changes["paused_at"] = dt.datetime.now(dt.UTC)
    if case.paused_at and case.due_at and transition.target not in (None, "waiting"):
        # The clock stood still while the case waited: the deadline moves by the working
        # days spent waiting.
        paused_days = reference.service_levels.working_days_between(
            case.paused_at, dt.datetime.now(dt.UTC))
        changes.update(paused_at=None, due_at=reference.service_levels.add_working_days(
            case.due_at, paused_days))
    if transition.target:
        changes["status"] = transition.target
    return changes


async def _original_of(case: Case, typed_code: str) -> Case:
    original = await Case.get_or_none(tracking_code=normalize_tracking_code(typed_code) or "")
    if original is None or original.id == case.id:
        raise ActionRefused(N_("Give the tracking code of the other report on the same goods."))
    if original.duplicate_of_id is not None:  # type: ignore[attr-defined]
        raise ActionRefused(N_("That report is itself a duplicate: join this one to the case "
                               "it was joined to."))
    if original.status == "rejected":
        raise ActionRefused(N_("That report was rejected: choose a case that is being handled."))
    return original


async def _check_support(case: Case, request: ActionRequest, reference: ReferenceData) -> None:
    if request.agency_code not in reference.agencies or request.agency_code == case.agency_code:
        raise ActionRefused(N_("Choose an agency other than the one handling the case."))
    if await CaseSupport.exists(case_id=case.id, agency_code=request.agency_code):
        raise ActionRefused(N_("This agency already supports the case."))
    if not request.task.strip():
        raise ActionRefused(N_("Describe the task of the supporting agency."))
    if len(request.task) > MAX_REASON_CHARS:
        raise ActionRefused(N_("The reason may have at most {limit} characters."),
                            limit=MAX_REASON_CHARS)
    if request.due_date is not None and request.due_date < dt.datetime.now(VIETNAM).date():
        raise ActionRefused(N_("The due date cannot be in the past."))


def _snapshot(case: Case, keys: list[str]) -> dict[str, Any]:
    values = {key: getattr(case, key) for key in keys}
    return {key: value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
            for key, value in values.items()}


async def take_action(case: Case, user: StaffUser, request: ActionRequest,
                      reference: ReferenceData, notifier: Notifier) -> Case:
    transition = BY_ACTION.get(request.action)
    if transition is None:
        raise ActionRefused(N_("Unknown action."))
    if request.expected_version != case.version:
        raise StaleCase()
    _check_permission(transition, case, user)
    changes = await _changes(transition, case, request, reference)
    keys = sorted(changes)
    before = _snapshot(case, [k for k in keys if k not in ("resolved_at",)])
    async with in_transaction() as connection:
        updated = await Case.filter(id=case.id, version=request.expected_version).using_db(
            connection).update(**changes, version=request.expected_version + 1,
                               updated_at=dt.datetime.now(dt.UTC))
        if not updated:
            raise StaleCase()
        fresh = await Case.filter(id=case.id).using_db(connection).get()
        event = await append_event(
            connection, case=fresh, actor=Actor("staff", str(user.id)), action=transition.action,
            before=before, after=_snapshot(fresh, [k for k in keys if k not in ("resolved_at",)]),
            reason=request.reason.strip())
        if "agency" in transition.needs:
            # The new lead agency no longer supports the case: it handles it.
            await CaseSupport.filter(case_id=case.id, agency_code=fresh.agency_code).using_db(
                connection).delete()
            await notifier.case_routed(connection, fresh, event)
        if "support" in transition.needs:
            support = await CaseSupport.create(
                using_db=connection, case=fresh, agency_code=request.agency_code,
                task=request.task.strip(), due_at=_support_due(fresh, request, reference))
            await notifier.support_requested(connection, fresh, support, event)
        if transition.action == "resolve":
            await notifier.case_resolved(connection, fresh, event, fresh.public_outcome)
            # Reporters of the duplicates joined to this case get its outcome too.
            for duplicate in await Case.filter(duplicate_of_id=fresh.id).using_db(connection):
                await notifier.case_resolved(connection, duplicate, event, fresh.public_outcome)
        if transition.action == "mark_duplicate":
            original = await Case.filter(
                id=fresh.duplicate_of_id).using_db(connection).get()  # type: ignore[attr-defined]
            if original.status in SETTLED_STATES:
                await notifier.case_resolved(connection, fresh, event, original.public_outcome)
    return fresh


def _support_due(case: Case, request: ActionRequest, reference: ReferenceData) -> dt.datetime:
    """The date the lead agency set, or else the case's own due date."""
    if request.due_date is not None:
        return dt.datetime.combine(request.due_date, dt.time(23, 59, 59),
                                   tzinfo=VIETNAM).astimezone(dt.UTC)
    return case.due_at or reference.service_levels.due_at(
        case.category, dt.datetime.now(dt.UTC), request.agency_code)
