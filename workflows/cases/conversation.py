"""What staff write on a case: internal notes, and public replies and questions the reporter
reads on /track and their own page (and receives by email when they left an address and
consented)."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.access.roles import CASE_ROLES, handles
from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.models import Case, CaseMessage, CaseNote
from workflows.cases.refusals import ActionRefused, InvalidInput
from workflows.cases.text import NO_WORDS, clean_text, has_words
from workflows.i18n.messages import N_, Problem

MAX_MESSAGE_CHARS = 5000


def _check(case: Case, user: StaffUser, body: str, supporting_may: bool = False) -> str:
    """The text to store. Supporting agencies write internal notes, but only the agency
    handling the case speaks to the reporter. (The caller has checked the user may see the
    case.)"""
    if user.role not in CASE_ROLES:
        raise ActionRefused(N_("Your role may not take this action."))
    if not supporting_may and not handles(user, case):
        raise ActionRefused(N_("Only the agency handling the case may take this action."))
    cleaned = clean_text(body, multiline=True)
    if isinstance(cleaned, Problem):
        raise InvalidInput({"body": cleaned})
    text = cleaned
    # Said beside the text box, which keeps what was typed.
    if not text:
        raise InvalidInput({"body": Problem(N_("Write something first."))})
    if not has_words(text):
        raise InvalidInput({"body": Problem(NO_WORDS)})
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput({"body": Problem(N_("At most {limit} characters (you typed {length})."),
                                            {"limit": MAX_MESSAGE_CHARS, "length": len(text)})})
    return text


async def add_note(case: Case, user: StaffUser, body: str, events: CaseEvents) -> CaseNote:
    text = _check(case, user, body, supporting_may=True)
    async with in_transaction() as connection:
        note = await CaseNote.create(using_db=connection, case=case, author=user, body=text)
        # The audit event names the note, not its text: notes may hold personal data.
        await events.record(connection, CaseEvent(case, Actor("staff", str(user.id)),
                                                  "note_added", after={"note_id": note.id}))
    events.committed()
    return note


# What staff may write to the reporter, and the event each is.
AGENCY_MESSAGES = {"reply": "public_reply", "question": "public_question"}


async def add_public_reply(case: Case, user: StaffUser, body: str, events: CaseEvents,
                           kind: str = "reply") -> CaseMessage:
    """A reply, or a question that does not pause the case (waiting for the answer is the
    "wait" action's)."""
    if kind not in AGENCY_MESSAGES:
        raise ActionRefused(N_("Unknown action."))
    text = _check(case, user, body)
    async with in_transaction() as connection:
        reply = await CaseMessage.create(using_db=connection, case=case, author="agency",
                                         kind=kind, body=text)
        await events.record(connection, CaseEvent(case, Actor("staff", str(user.id)),
                                                  AGENCY_MESSAGES[kind],
                                                  after={"message_id": reply.id},
                                                  facts={"body": text}))
    events.committed()
    return reply
