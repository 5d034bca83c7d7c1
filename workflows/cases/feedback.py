"""After the outcome: is the reporter satisfied? One answer per resolution, from their page or
the link in the resolution notice. "Not satisfied" within the review window asks the handling
agency to review: a request in its queue that a lead (or an officer) grants — the case reopens
— or declines with a reason the reporter reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.access.roles import LEAD, OFFICER, handles
from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.models import Case, CaseFeedback, CaseMessage
from workflows.cases.refusals import ActionRefused, InvalidInput
from workflows.cases.states import SETTLED_STATES
from workflows.cases.text import NO_WORDS, clean_text, has_words
from workflows.cases.transitions import ActionRequest, take_action
from workflows.i18n.messages import N_, Problem
from workflows.reference.loading import ReferenceData

MAX_COMMENT_CHARS = 2000
ALREADY_ANSWERED = N_("Thank you: your answer on this outcome was already recorded.")
NOT_SETTLED = N_("There is no outcome to answer yet.")


@dataclass(frozen=True)
class FeedbackAsked:
    """What the reporter's page and the mail link show: whether an answer is open, and the
    one given."""

    resolved_at: dt.datetime
    given: CaseFeedback | None
    review_open_until: dt.datetime

    @property
    def review_open(self) -> bool:
        return dt.datetime.now(dt.UTC) <= self.review_open_until


def review_deadline(case: Case, reference: ReferenceData) -> dt.datetime | None:
    if case.resolved_at is None:
        return None
    return case.resolved_at + dt.timedelta(days=reference.service_levels.review_request_days)


async def feedback_asked(case: Case, reference: ReferenceData) -> FeedbackAsked | None:
    deadline = review_deadline(case, reference)
    if case.status not in SETTLED_STATES or case.resolved_at is None or deadline is None:
        return None
    given = await CaseFeedback.get_or_none(case_id=case.id, resolved_at=case.resolved_at)
    return FeedbackAsked(case.resolved_at, given, deadline)


def _comment(typed: str) -> str:
    cleaned = clean_text(typed, multiline=True)
    if isinstance(cleaned, Problem):
        raise InvalidInput({"comment": cleaned})
    if len(cleaned) > MAX_COMMENT_CHARS:
        raise InvalidInput({"comment": Problem(
            N_("At most {limit} characters (you typed {length})."),
            {"limit": MAX_COMMENT_CHARS, "length": len(cleaned)})})
    if cleaned and not has_words(cleaned):
        raise InvalidInput({"comment": Problem(NO_WORDS)})
    return cleaned


async def give_feedback(case: Case, satisfied: bool | None, comment: str,
                        reference: ReferenceData, events: CaseEvents,
                        resolved_at: dt.datetime | None = None) -> CaseFeedback:
    """The reporter's answer on the case's current outcome (`resolved_at`: the outcome the
    answer was asked about, from a mail link: an older one is no longer open)."""
    asked = await feedback_asked(case, reference)
    if asked is None or (resolved_at is not None and resolved_at != asked.resolved_at):
        raise ActionRefused(NOT_SETTLED)
    if satisfied is None:
        raise InvalidInput({"satisfied": Problem(N_("Choose whether you are satisfied."))})
    text = _comment(comment)
    now = dt.datetime.now(dt.UTC)
    review = "pending" if not satisfied and now <= asked.review_open_until else ""
    try:
        async with in_transaction() as connection:
            feedback = await CaseFeedback.create(
                using_db=connection, case=case, resolved_at=asked.resolved_at,
                satisfied=satisfied, comment=text, created_at=now, review=review)
            await events.record(connection, CaseEvent(
                case, Actor.citizen(), "feedback_given",
                after={"satisfied": satisfied, "review": review}, facts={"comment": text}))
    except IntegrityError:  # one answer per outcome, even sent twice at once
        raise ActionRefused(ALREADY_ANSWERED) from None
    events.committed()
    return feedback


async def pending_review(case: Case) -> CaseFeedback | None:
    return await CaseFeedback.filter(case_id=case.id, review="pending").order_by("-id").first()


def may_decide(user: StaffUser, case: Case) -> bool:
    return user.role in (LEAD, OFFICER) and handles(user, case)


async def decide_review(case: Case, user: StaffUser, grant: bool, reason: str,
                        reference: ReferenceData, events: CaseEvents) -> None:
    """Grant (the case reopens, the reason recorded) or decline (the reason goes to the
    reporter, on their page and by mail)."""
    request = await pending_review(case)
    if request is None:
        raise ActionRefused(N_("No review was asked for this case."))
    if not may_decide(user, case):
        raise ActionRefused(N_("Only a lead of the agency handling the case, or an officer, "
                               "decides a review."))
    text = clean_text(reason, multiline=True)
    if isinstance(text, Problem):
        raise InvalidInput({"reason": text})
    if not text or not has_words(text):
        raise InvalidInput({"reason": Problem(N_("Give a reason."))})
    now = dt.datetime.now(dt.UTC)
    decided = {"decided_by_id": user.id, "decided_at": now, "decision_reason": text}
    # The decision is claimed first, in one conditional update: of two people deciding at
    # once, one wins and the other is told there is nothing left to decide.
    claimed = await CaseFeedback.filter(id=request.id, review="pending").update(
        review="granted" if grant else "declined", **decided)
    if not claimed:
        raise ActionRefused(N_("No review was asked for this case."))
    if grant:
        try:
            # The reopening closes the request (effects.reopen) and tells the reporter.
            await take_action(case, user, ActionRequest("reopen", case.version, {
                "reason": text, "review_granted": "1"}), reference, events)
        except ActionRefused:
            await CaseFeedback.filter(id=request.id).update(
                review="pending", decided_by_id=None, decided_at=None, decision_reason="")
            raise
        return
    async with in_transaction() as connection:
        message = await CaseMessage.create(using_db=connection, case=case, author="agency",
                                           kind="reply", body=text)
        await events.record(connection, CaseEvent(
            case, Actor("staff", str(user.id)), "review_declined",
            after={"message_id": message.id}, reason=text, facts={"body": text}))
    events.committed()
