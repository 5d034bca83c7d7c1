"""What staff give when they ask a business to explain (the `explanation` requirement of
the `request_explanation` actions) and what the request changes (their effects): kept apart
from the rest of `workflows.parties.explanations` because the case workflow's tables import
them."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.cases.effects import Changes
from workflows.cases.field_kinds import bounded_int
from workflows.cases.models import Case
from workflows.cases.refusals import InvalidInput
from workflows.cases.text import required_words
from workflows.i18n.messages import N_, Errors, Problem
from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.parties.models import ExplanationRequest
from workflows.parties.references import EXPLANATION, new_reference
from workflows.reference.catalog import PARTY_KIND_CODES

if TYPE_CHECKING:
    from workflows.cases.requirements import Checked, Step

MAX_DAYS = 60
MAX_NAME_CHARS = 200
MAX_QUESTION_CHARS = 2000
REPLY_TO_OFFICER = "me"


def _text(step: Step, field: str, empty: str, limit: int, multiline: bool = True) -> str:
    written = required_words(step.form.get(field, ""), empty, limit, multiline=multiline)
    if isinstance(written, Problem):
        raise InvalidInput({field: written})
    return written


async def explanation(step: Step) -> Checked:
    """Who is asked (the seller or the brand owner, by name and email), what to answer, and
    within how many working days (the configured default when left empty)."""
    checked: Checked = {}
    problems: Errors = {}
    kind = step.text("party_kind")
    if kind not in PARTY_KIND_CODES:
        problems["party_kind"] = Problem(N_("Choose who is asked: the seller or the brand owner."))
    else:
        checked["party_kind"] = kind
    texts = (("party_name", N_("Give the name of the business."), MAX_NAME_CHARS, False),
             ("question", N_("Write what the business must explain."), MAX_QUESTION_CHARS, True))
    for field, empty, limit, multiline in texts:
        try:
            checked[field] = _text(step, field, empty, limit, multiline)
        except InvalidInput as invalid:
            problems.update(invalid.errors)
    try:
        checked["party_email"] = mailbox(step.text("party_email"))
    except NotAMailbox:
        problems["party_email"] = Problem(N_("Give one email address such as ten@example.com."))
    levels = step.reference.service_levels
    typed_days = step.text("days")
    days = bounded_int(typed_days, 3) if typed_days else levels.explanation_working_days
    if days is None or not 1 <= days <= MAX_DAYS:
        problems["days"] = Problem(N_("Give a number of working days from 1 to {most}."),
                                   {"most": MAX_DAYS})
    else:
        checked["explanation_due"] = levels.add_working_days(step.now, days)
    # Replies to the mail: the agency's mailbox, or the officer's own if they choose.
    checked["reply_to_officer"] = step.text("reply_to") == REPLY_TO_OFFICER
    if problems:
        raise InvalidInput(problems)
    return checked


def _asked(step: Step, checked: Checked, pauses: bool) -> Changes:
    due, nonce = checked["explanation_due"], secrets.token_urlsafe(32)

    async def create_request(connection: BaseDBAsyncClient, case: Case) -> dict[str, Any]:
        request = await ExplanationRequest.create(
            using_db=connection, case=case, party_kind=checked["party_kind"],
            party_name=checked["party_name"], party_email=checked["party_email"],
            question=checked["question"], due_at=due, pauses=pauses, link_nonce=nonce,
            requested_by_id=step.user.id, reference=new_reference(EXPLANATION),
            reply_to_officer=checked["reply_to_officer"],
            agency_code=step.user.agency_code or case.agency_code or "")
        return {"explanation": request}

    # The audit event names who was asked by kind, not by name or address.
    return Changes({"paused_at": step.now} if pauses else {},
                   facts={"party_kind": checked["party_kind"], "explanation_due": due.isoformat()},
                   then=create_request)


def ask_business(step: Step, checked: Checked) -> Changes:
    return _asked(step, checked, pauses=False)


def ask_business_and_wait(step: Step, checked: Checked) -> Changes:
    """The case waits for the answer: its clock stops until the answer (or staff) resumes it."""
    return _asked(step, checked, pauses=True)
