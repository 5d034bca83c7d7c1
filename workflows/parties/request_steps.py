"""What staff of the agency handling a case do with a request for an explanation once it is
sent: publish a summary of the answer for /track and Open311 (once: clients copy updates, so a
published text cannot be taken back), or withdraw an unanswered request (its link stops, it is
never overdue)."""

from __future__ import annotations

import datetime as dt
import hashlib

from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.access.roles import AGENCY_ROLES
from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.models import Case
from workflows.cases.refusals import ActionRefused, InvalidInput
from workflows.cases.text import required_words
from workflows.i18n.messages import N_, Problem
from workflows.parties.models import ExplanationRequest

MAX_SUMMARY_CHARS = 2000


async def _own_request(case: Case, user: StaffUser, request_id: int) -> ExplanationRequest:
    """The request, if the user is a lead or inspector of the agency handling the case."""
    if user.role not in AGENCY_ROLES or user.agency_code != case.agency_code:
        raise ActionRefused(N_("Only the agency handling the case may take this action."))
    request = await ExplanationRequest.get_or_none(id=request_id, case_id=case.id)
    if request is None:
        raise ActionRefused(N_("Unknown action."))
    return request


async def publish_summary(case: Case, user: StaffUser, request_id: int, summary: str,
                          events: CaseEvents) -> ExplanationRequest:
    """The agency's words for the public on an answer, never the answer itself (it may name
    people)."""
    request = await _own_request(case, user, request_id)
    if request.answered_at is None:
        raise ActionRefused(N_("The business has not answered yet."))
    cleaned = required_words(summary, N_("Write the summary to publish."), MAX_SUMMARY_CHARS)
    if isinstance(cleaned, Problem):
        raise InvalidInput({"summary": cleaned})
    now = dt.datetime.now(dt.UTC)
    async with in_transaction() as connection:
        if not await ExplanationRequest.filter(id=request.id, published_at__isnull=True).using_db(
                connection).update(public_summary=cleaned, published_at=now):
            raise ActionRefused(N_("A summary of this answer is already published."))
        await events.record(connection, CaseEvent(
            case, Actor("staff", str(user.id)), "explanation_published",
            after={"explanation_id": request.id,
                   "summary_sha256": hashlib.sha256(cleaned.encode()).hexdigest()},
            facts={"body": cleaned}))
    events.committed()
    return await ExplanationRequest.get(id=request.id)


async def withdraw_request(case: Case, user: StaffUser, request_id: int,
                           events: CaseEvents) -> ExplanationRequest:
    request = await _own_request(case, user, request_id)
    now = dt.datetime.now(dt.UTC)
    async with in_transaction() as connection:
        if not await ExplanationRequest.filter(
                id=request.id, answered_at__isnull=True, withdrawn_at__isnull=True).using_db(
                connection).update(withdrawn_at=now):
            raise ActionRefused(N_("This request is already answered or withdrawn."))
        await events.record(connection, CaseEvent(
            case, Actor("staff", str(user.id)), "explanation_withdrawn",
            after={"explanation_id": request.id}))
    events.committed()
    return await ExplanationRequest.get(id=request.id)
