"""Asking a business to explain: staff of the agency handling a case name the seller or the
brand owner, what to answer and by when (working days); the business answers once, through a
signed link, with text and documents checked like citizens' files; staff publish a summary
for /track. The business sees the product facts and the question, never the reporter.

The request itself is a case action (`request_explanation`, or `request_explanation_and_wait`,
which puts the case on hold: `workflows.parties.asking`), so its permissions, audit event and
mail are the workflow's; the business's side is here, staff's later steps on a request
(publish a summary, withdraw it) in `workflows.parties.request_steps`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import asdict

from tortoise.transactions import in_transaction

from workflows.access.limits import Allowance
from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent
from workflows.cases.filing import FILES_FIELD, FilingService, evidence_record
from workflows.cases.filing_refusals import InvalidReport
from workflows.cases.models import Attachment, Case
from workflows.cases.reporter import resume_waiting
from workflows.cases.states import CLOSED_STATES, PAUSED_STATE
from workflows.cases.text import required_words
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.formatting import format_date
from workflows.i18n.messages import N_, Errors, Problem
from workflows.parties.models import ExplanationRequest

MAX_ANSWER_CHARS = 10000


class LinkRefused(Exception):
    """The link does not open the form: unknown, already used, or past its deadline. The
    message says which (a used link's owner knows it answered; nothing else is revealed)."""

    def __init__(self, problem: Problem, status: int) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.status = status


UNKNOWN_LINK = N_("This link is not valid. Check that it was copied whole from the email.")
USED_LINK = N_("This link has already been used: the explanation was received on {day}. "
               "Each link works once; to add something, answer the agency's email.")
EXPIRED_LINK = N_("This link expired on {day}, the deadline for the explanation. Contact the "
                  "agency that asked for it.")
CASE_CLOSED = N_("The case has been closed: the agency no longer needs the explanation.")
WITHDRAWN = N_("The agency has withdrawn this request: no explanation is needed any more.")


def paused_for(request: ExplanationRequest, case: Case) -> bool:
    """Whether the case is on hold for this request now: it asked to wait, and the case has
    not been resumed and put on hold again (for the reporter, say) since."""
    return (request.pauses and case.status == PAUSED_STATE and case.paused_at is not None
            and request.created_at >= case.paused_at)


async def open_request(request_id: int, nonce: str, now: dt.datetime) -> ExplanationRequest:
    """The request a link opens, with its case, while it can still be answered."""
    request = await ExplanationRequest.get_or_none(id=request_id).select_related("case")
    if request is None or not hmac.compare_digest(request.link_nonce.encode(), nonce.encode()):
        raise LinkRefused(Problem(UNKNOWN_LINK), 404)
    if request.answered_at is not None:
        raise LinkRefused(Problem(USED_LINK, {"day": format_date(request.answered_at)}), 410)
    if request.withdrawn_at is not None:
        raise LinkRefused(Problem(WITHDRAWN), 410)
    if request.due_at < now:
        raise LinkRefused(Problem(EXPIRED_LINK, {"day": format_date(request.due_at)}), 410)
    if request.case.status in CLOSED_STATES:
        raise LinkRefused(Problem(CASE_CLOSED), 410)
    return request


def _answer_text(fields: Mapping[str, str], uploads: Sequence[Upload],
                 service: FilingService) -> str:
    errors: Errors = {}
    text = required_words(fields.get("answer", ""), N_("Write your explanation."),
                          MAX_ANSWER_CHARS)
    if isinstance(text, Problem):
        errors["answer"] = text
    too_many = count_and_size(uploads, service.policy)
    if too_many:
        errors[FILES_FIELD] = too_many
    if errors:
        raise InvalidReport(errors)
    return str(text)


async def answer_explanation(service: FilingService, request_id: int, nonce: str,
                             fields: Mapping[str, str], uploads: Sequence[Upload],
                             allowance: Allowance, address: str,
                             now: dt.datetime) -> ExplanationRequest:
    """Store the business's answer and documents, once: a second use of the link, even at the
    same moment, is refused (LinkRefused) and stores nothing. Each try is charged to the
    address's allowance before the files are checked (TooManyReports). A case on hold for this
    answer resumes, its clock moved by the working days waited."""
    request = await open_request(request_id, nonce, now)
    text = _answer_text(fields, uploads, service)
    async with service.stored_evidence(uploads, allowance, address) as evidence:
        async with in_transaction() as connection:
            if not await ExplanationRequest.filter(
                    id=request.id, answered_at__isnull=True,
                    withdrawn_at__isnull=True).using_db(connection).update(
                    answered_at=now, answer=text):
                raise LinkRefused(Problem(USED_LINK, {"day": format_date(now)}), 410)
            case = await Case.filter(id=request.case.id).using_db(
                connection).select_for_update().get()
            if case.status in CLOSED_STATES:  # closed while the files came in
                raise LinkRefused(Problem(CASE_CLOSED), 410)
            for file in evidence:
                await Attachment.create(using_db=connection, case=case, added_by="business",
                                        explanation_id=request.id, **asdict(file))
            resumed = None
            if paused_for(request, case):
                resumed = await resume_waiting(
                    connection, case, service.reference.service_levels, now, service.events,
                    Actor("business", str(request.id)))
            await Case.filter(id=case.id).using_db(connection).update(new_info_at=now)
            await service.events.record(connection, CaseEvent(
                resumed or case, Actor("business", str(request.id)), "explanation_answered",
                # The text's digest, not the text: it may name people; the digest shows
                # that what the case page shows is what the business sent.
                after={"explanation_id": request.id,
                       "answer_sha256": hashlib.sha256(text.encode()).hexdigest(),
                       "attachments": [evidence_record(file) for file in evidence]},
                facts={"resumed": resumed is not None}))
    service.events.committed()
    return await ExplanationRequest.get(id=request.id)
