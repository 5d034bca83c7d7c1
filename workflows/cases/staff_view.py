"""Everything the back office shows on one case page, gathered in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tortoise.expressions import Subquery

from workflows.access.api_clients import client_names
from workflows.access.models import StaffUser
from workflows.access.roles import INSPECTOR, handles
from workflows.access.visibility import assignable_staff
from workflows.audit.models import AuditEvent
from workflows.cases.duplicates import possible_duplicates
from workflows.cases.feedback import may_decide
from workflows.cases.flags import Flag, case_flags
from workflows.cases.history import HistoryLine, client_ids, history, staff_ids
from workflows.cases.models import (
    Attachment,
    Case,
    CaseFeedback,
    CaseMessage,
    CaseNote,
    CaseSupport,
    SeizedItem,
)
from workflows.cases.sealing import is_sealed, police_codes
from workflows.cases.states import (
    CLOSED_STATES,
    Transition,
    allowed_actions,
    allowed_support_actions,
)
from workflows.cases.transitions import may_take
from workflows.i18n.messages import N_
from workflows.i18n.translations import Labelled, Translator
from workflows.parties.brand_claims import case_keys
from workflows.parties.followers import follower_count
from workflows.parties.models import (
    BrandClaim,
    BrandInquiry,
    BrandOwner,
    ExplanationRequest,
    SupportingReport,
)
from workflows.reference.agencies import Agency
from workflows.reference.routing import explain, parse_reason


@dataclass(frozen=True)
class CaseView:
    case: Case
    attachments: list[Attachment]
    timeline: list[AuditEvent]
    messages: list[CaseMessage]
    notes: list[CaseNote]
    flags: list[Flag]
    supports: list[CaseSupport]
    duplicate_of: Case | None
    staff_names: dict[int, str]  # everyone the timeline names, by id
    client_names: dict[int, str]  # the API clients it names, by id
    seized: list[SeizedItem]  # the goods seized on its resolution
    feedback: list[CaseFeedback]  # the reporter's answers on its outcomes, and reviews asked
    explanations: list[ExplanationRequest]  # businesses asked to explain, their documents with them
    followers: int  # people following its public status by email (never who)
    supporting: list[SupportingReport]  # "I saw this too", with their photos
    # Brand owners asked whether the goods are genuine, their opinions and evidence with them.
    brand_inquiries: list[BrandInquiry]
    assignee: StaffUser | None = None  # who holds the case

    def history(self, words: Translator, agencies: Iterable[Labelled]) -> list[HistoryLine]:
        return history(self.timeline, words, agencies, self.staff_names, self.client_names)

    def routing(self, words: Translator, agencies: Iterable[Labelled]) -> str:
        """How the rules routed the case when it was filed, as a sentence."""
        decision = parse_reason(self.case.routing_reason)
        return explain(decision, words, list(agencies)) if decision else self.case.routing_reason


@dataclass(frozen=True)
class CaseWork:
    """What the user may do on the case page: the actions, and the choices they offer."""

    leads: bool  # the user's agency handles the case (or the user is an officer)
    actions: list[Transition]
    assignable: list[StaffUser]
    own_support: CaseSupport | None  # the user's agency's supporting task on the case
    support_actions: list[Transition]
    support_assignable: list[StaffUser]
    support_candidates: list[str]  # agencies that could be asked to support
    duplicates: list[Case]
    decides_review: bool  # a review is asked and this user may grant or decline it
    # Verified brand owners not asked yet: those the case names first.
    brand_owners: list[BrandOwner]


async def case_work(view: CaseView, user: StaffUser, agencies: Mapping[str, Agency]) -> CaseWork:
    case = view.case
    leads = handles(user, case)
    own = next((s for s in view.supports if s.agency_code == user.agency_code), None)
    supporting = {s.agency_code for s in view.supports}
    owners = await _owners_to_ask(view) if leads else []
    assignee: int | None = case.assignee_id  # type: ignore[attr-defined]
    task_assignee: int | None = own.assignee_id if own else None  # type: ignore[attr-defined]
    return CaseWork(
        leads=leads,
        # Asking a brand owner is offered only when there is one to ask.
        actions=[action for action in allowed_actions(
                     case.status, user.role, sealed=is_sealed(case),
                     at_police=case.agency_code in police_codes(dict(agencies)))
                 if (owners or action.action != "ask_brand_owner")
                 and may_take(action, case.status, case.agency_code, assignee, user)]
        if leads else [],
        assignable=await assignable_staff(case.agency_code),
        own_support=own,
        support_actions=[action for action in allowed_support_actions(own.status, user.role)
                         if may_take(action, own.status, own.agency_code, task_assignee, user,
                                     "task")] if own else [],
        support_assignable=await assignable_staff(user.agency_code) if own else [],
        support_candidates=[code for code in agencies
                            if code != case.agency_code and code not in supporting],
        duplicates=await possible_duplicates(case, user),
        decides_review=may_decide(user, case) and any(
            answer.review == "pending" for answer in view.feedback),
        brand_owners=owners,
    )


MAX_OWNER_CHOICES = 200
WHY_NO_ACTION = {
    "closed": N_("This case is closed: nothing is left to do on it."),
    "elsewhere": N_("Another agency handles this case: only its staff act on it."),
    "unassigned": N_("Waiting for a lead to assign it to an inspector."),
    "assigned_elsewhere": N_("Another inspector is assigned to this case: its actions are "
                             "theirs."),
    "role": N_("Your role has nothing to do on it at this step."),
}


def why_no_action(case: Case, user: StaffUser, work: CaseWork) -> str:
    """Why the page offers this user no action on the case ("" when it offers some)."""
    if work.actions:
        return ""
    if case.status in CLOSED_STATES:
        return WHY_NO_ACTION["closed"]
    if not work.leads:
        return WHY_NO_ACTION["elsewhere"]
    if user.role == INSPECTOR and case.assignee_id is None:  # type: ignore[attr-defined]
        return WHY_NO_ACTION["unassigned"]
    if user.role == INSPECTOR and case.assignee_id != user.id:  # type: ignore[attr-defined]
        return WHY_NO_ACTION["assigned_elsewhere"]
    return WHY_NO_ACTION["role"]


async def _owners_to_ask(view: CaseView) -> list[BrandOwner]:
    """Verified owners not yet asked: those the case names first, then the others."""
    asked = sorted(inquiry.owner.id for inquiry in view.brand_inquiries)
    keys = case_keys(view.case)
    named = await BrandOwner.filter(
        status="verified", id__in=Subquery(BrandClaim.filter(keys).values("owner_id"))).exclude(
        id__in=asked).order_by("organisation") if keys else []
    others = await BrandOwner.filter(status="verified").exclude(
        id__in=asked + [owner.id for owner in named]).order_by("organisation").limit(
        MAX_OWNER_CHOICES)
    return [*named, *others]


async def case_view(case: Case) -> CaseView:
    timeline = await AuditEvent.filter(case_id=case.id).order_by("seq")
    people = await StaffUser.filter(id__in=sorted(staff_ids(timeline))).only("id", "name", "email")
    return CaseView(
        case=case,
        attachments=await Attachment.filter(case_id=case.id).order_by("id"),
        timeline=timeline,
        messages=await CaseMessage.filter(case_id=case.id).order_by("created_at")
        .prefetch_related("photos"),
        notes=await CaseNote.filter(case_id=case.id).order_by("created_at").select_related("author"),
        flags=case_flags(case),
        supports=await CaseSupport.filter(case_id=case.id).order_by("id").select_related(
            "assignee"),
        duplicate_of=await Case.get_or_none(
            id=case.duplicate_of_id) if case.duplicate_of_id else None,  # type: ignore[attr-defined]
        staff_names={person.id: person.name or person.email for person in people},
        client_names=await client_names(client_ids(timeline)),
        seized=await SeizedItem.filter(case_id=case.id).order_by("id"),
        feedback=await CaseFeedback.filter(case_id=case.id).order_by("id"),
        explanations=await ExplanationRequest.filter(case_id=case.id).order_by("id")
        .prefetch_related("documents"),
        followers=await follower_count(case),
        supporting=await SupportingReport.filter(case_id=case.id).order_by("id")
        .prefetch_related("photos"),
        brand_inquiries=await BrandInquiry.filter(case_id=case.id).order_by("id")
        .select_related("owner").prefetch_related("documents"),
        assignee=await StaffUser.get_or_none(
            id=case.assignee_id) if case.assignee_id else None,  # type: ignore[attr-defined]
    )
