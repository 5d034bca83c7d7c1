"""What an action needs from the person taking it, by name (`Transition.needs`): each reads
its fields from the form, checks them against the case, and gives the checked values or a
message per field. `take_action` runs every one an action names and reports all problems at
once, so a form keeps every value and shows each message beside its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from workflows.access.models import StaffUser
from workflows.access.roles import AGENCY_ROLES
from workflows.cases import action_forms as forms
from workflows.cases.action_forms import FormField
from workflows.cases.field_kinds import bounded_int
from workflows.cases.models import Case, CaseSupport
from workflows.cases.outcomes import check_outcome
from workflows.cases.refusals import InvalidInput
from workflows.cases.text import NO_WORDS, clean_text, has_words
from workflows.cases.tracking import normalize_tracking_code
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.parties import asking, brand_asking
from workflows.reference.loading import ReferenceData

MAX_REASON_CHARS = 2000
MAX_EXTENSION = dt.timedelta(days=5 * 365)  # a deadline further off is a typing mistake


@dataclass(frozen=True)
class Step:
    """One action being taken: the case as the user saw it, who, what they typed, and when."""

    case: Case
    user: StaffUser
    form: Mapping[str, str]
    reference: ReferenceData
    now: dt.datetime

    def text(self, name: str) -> str:
        return self.form.get(name, "").strip().replace("\r\n", "\n")


Checked = dict[str, Any]


def _typed(step: Step, field: str) -> str:
    """Words a person wrote, checked like every text field (no control characters, no
    direction overrides)."""
    cleaned = clean_text(step.form.get(field, ""), multiline=True)
    if isinstance(cleaned, Problem):
        raise InvalidInput({field: cleaned})
    return cleaned


Check = Callable[[Step], Awaitable[Checked]]


def _refuse(field: str, message: str, **params: object) -> InvalidInput:
    return InvalidInput({field: Problem(message, params)})


def _bounded_text(step: Step, field: str, empty_message: str) -> str:
    text = _typed(step, field)
    if not text:
        raise _refuse(field, empty_message)
    if not has_words(text):
        raise _refuse(field, NO_WORDS)
    if len(text) > MAX_REASON_CHARS:
        raise _refuse(field, N_("At most {limit} characters (you typed {length})."),
                      limit=MAX_REASON_CHARS, length=len(text))
    return text


async def reason(step: Step) -> Checked:
    return {"reason": _bounded_text(step, "reason", N_("Give a reason."))}


async def question(step: Step) -> Checked:
    """A question to the reporter: public, on their page and in the mail they get."""
    return {"question": _bounded_text(step, "question",
                                      N_("Write the question for the reporter."))}


async def report(step: Step) -> Checked:
    """What a supporting agency did, when it reports its task done."""
    return {"report": _bounded_text(step, "report", N_("Write what was done."))}


async def agency(step: Step) -> Checked:
    code = step.text("agency_code")
    if code not in step.reference.agencies:
        raise _refuse("agency_code", N_("Choose an agency."))
    if step.reference.agencies[code].criminal_referrals:
        # Only the referral asks for its reason and is counted as one.
        raise _refuse("agency_code", N_("A case goes to the police only by “Refer to the "
                                        "police”, with the signs of a crime as its reason."))
    if code == step.case.agency_code:
        raise _refuse("agency_code", N_("The case is already with this agency."))
    return {"agency_code": code}


async def police(step: Step) -> Checked:
    """The agency that takes criminal referrals (config/agencies.toml), unless it has the case."""
    found = [code for code, agency in step.reference.agencies.items() if agency.criminal_referrals]
    if not found:
        raise _refuse("form", N_("No agency takes criminal referrals: mark one in "
                                 "config/agencies.toml (criminal_referrals = true)."))
    if step.case.agency_code in found:
        raise _refuse("form", N_("The case is already with the police."))
    return {"agency_code": found[0]}


def _number(typed: str) -> int | None:
    return bounded_int(typed, 9)


async def assignee(step: Step) -> Checked:
    """An active lead or inspector of the agency handling the case."""
    chosen = await StaffUser.get_or_none(id=_number(step.text("assignee_id")) or 0, active=True)
    if (chosen is None or chosen.role not in AGENCY_ROLES
            or chosen.agency_code != step.case.agency_code):
        raise _refuse("assignee_id", N_("Choose an inspector of the agency handling the case."))
    return {"assignee": chosen}


async def support_assignee(step: Step) -> Checked:
    """An active lead or inspector of the user's own (supporting) agency."""
    chosen = await StaffUser.get_or_none(id=_number(step.text("assignee_id")) or 0, active=True,
                                         agency_code=step.user.agency_code or "",
                                         role__in=sorted(AGENCY_ROLES))
    if chosen is None:
        raise _refuse("assignee_id", N_("Choose an inspector of your agency."))
    return {"assignee": chosen}


async def outcome(step: Step) -> Checked:
    """What the agency found and did (workflows.cases.outcomes): every field checked, each
    problem named."""
    return check_outcome(dict(step.form), step.now)


def _date(step: Step, field: str, message: str) -> dt.date | None:
    typed = step.text(field)
    if not typed:
        return None
    try:
        return dt.date.fromisoformat(typed)
    except ValueError:
        raise _refuse(field, message) from None


async def due_date(step: Step) -> Checked:
    message = N_("Choose a new due date after the current one.")
    chosen = _date(step, "due_date", message)
    current = step.case.due_at.astimezone(VIETNAM).date() if step.case.due_at else None
    if chosen is None or (current and chosen <= current):
        raise _refuse("due_date", message)
    if chosen > step.now.date() + MAX_EXTENSION:
        raise _refuse("due_date", N_("Choose a due date within {years} years."),
                      years=MAX_EXTENSION.days // 365)
    return {"due_date": chosen}


async def duplicate_of(step: Step) -> Checked:
    original = await Case.get_or_none(
        tracking_code=normalize_tracking_code(step.text("duplicate_of")) or "")
    if original is None or original.id == step.case.id:
        raise _refuse("duplicate_of",
                      N_("Give the tracking code of the other report on the same goods."))
    if original.duplicate_of_id is not None:  # type: ignore[attr-defined]
        raise _refuse("duplicate_of", N_("That report is itself a duplicate: join this one to "
                                         "the case it was joined to."))
    if original.status == "rejected":
        raise _refuse("duplicate_of",
                      N_("That report was rejected: choose a case that is being handled."))
    return {"original": original}


async def support(step: Step) -> Checked:
    """Another agency, a task for it, and optionally its own due date."""
    code = step.text("agency_code")
    if code not in step.reference.agencies or code == step.case.agency_code:
        raise _refuse("agency_code", N_("Choose an agency other than the one handling the case."))
    if await CaseSupport.exists(case_id=step.case.id, agency_code=code):
        raise _refuse("agency_code", N_("This agency already supports the case."))
    task = _bounded_text(step, "task", N_("Describe the task of the supporting agency."))
    due = _date(step, "due_date", N_("The due date cannot be in the past."))
    if due is not None and due < step.now.astimezone(VIETNAM).date():
        raise _refuse("due_date", N_("The due date cannot be in the past."))
    if due is not None and due > step.now.date() + MAX_EXTENSION:
        raise _refuse("due_date", N_("Choose a due date within {years} years."),
                      years=MAX_EXTENSION.days // 365)
    return {"support_agency": code, "task": task, "support_due": due}


@dataclass(frozen=True)
class Requirement:
    """What an action needs, declared once: how the form's values are checked, and the form's
    fields (which the case page draws)."""

    check: Check
    fields: tuple[FormField, ...]


REQUIREMENTS: dict[str, Requirement] = {
    "reason": Requirement(reason, forms.REASON),
    "question": Requirement(question, forms.QUESTION),
    "report": Requirement(report, forms.REPORT),
    "agency": Requirement(agency, forms.AGENCY),
    "police": Requirement(police, forms.NOTHING),
    "assignee": Requirement(assignee, forms.ASSIGNEE),
    "support_assignee": Requirement(support_assignee, forms.SUPPORT_ASSIGNEE),
    "outcome": Requirement(outcome, forms.OUTCOME),
    "due_date": Requirement(due_date, forms.DUE_DATE),
    "duplicate_of": Requirement(duplicate_of, forms.DUPLICATE_OF),
    "support": Requirement(support, forms.SUPPORT),
    "explanation": Requirement(asking.explanation, forms.EXPLANATION),
    "brand_owner": Requirement(brand_asking.brand_owner, forms.BRAND_OWNER),
}


def form_fields(needs: tuple[str, ...]) -> tuple[FormField, ...]:
    """An action's form: its requirements' fields, each once, in order."""
    fields: dict[str, FormField] = {}
    for name in needs:
        for field in REQUIREMENTS[name].fields:
            fields.setdefault(field.name, field)
    return tuple(fields.values())


async def check_all(needs: tuple[str, ...], step: Step) -> Checked:
    """Every requirement's values, or one InvalidInput naming every field's problem."""
    checked: Checked = {}
    problems: dict[str, Problem] = {}
    for name in needs:
        try:
            checked.update(await REQUIREMENTS[name].check(step))
        except InvalidInput as invalid:
            problems.update(invalid.errors)
    if problems:
        raise InvalidInput(problems)
    return checked
