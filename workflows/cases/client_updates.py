"""A citizen's update that an Open311 client posts for a report it filed (FixMyStreet's
`post_service_request_update`). FixMyStreet sends every comment on its report, whoever wrote
it: one from the reporter (the email they gave with their consent) joins the case as their
follow-up, as if added on their own page, and resumes a case that waited for them; anyone
else's is kept for staff as a comment through the app, which answers no question of the
agency's and never shows on the reporter's page. A report already closed keeps the update
without reopening (FixMyStreet cannot be told "closed": it would send it again every half
hour). Only the client that filed the case may post to it; each of its update ids makes one
message, so a retry gets the first one's id, and the same id with other content is refused;
the client's allowance is charged once per new update. The photo the client links is kept as
its link, not fetched: staff open it if they choose. Nothing of the person who wrote it (name,
email) is kept."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.access.api_clients import KnownClient
from workflows.audit.log import Actor
from workflows.audit.models import AuditEvent
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.filing import FilingService
from workflows.cases.filing_refusals import InvalidReport
from workflows.cases.models import Case, CaseMessage
from workflows.cases.reporter import checked_addition, record_followup
from workflows.cases.states import CLOSED_STATES
from workflows.cases.tracking import normalize_tracking_code
from workflows.i18n.messages import N_, Problem
from workflows.i18n.translations import Translator
from workflows.mail.addresses import NotAMailbox, mailbox_key

MAX_UPDATE_ID_CHARS = 64
PHOTO_LINE = N_("Photo linked by {client} (not downloaded): {url}")
BAD_UPDATE_ID = N_("update_id is 1 to {limit} visible ASCII characters, the client's own id "
                   "for the update.")
NOTHING_SAID = N_("The update says nothing: give a description or a media_url.")


@dataclass(frozen=True)
class ClientUpdate:
    """What the client sent: its id for the update, the words, a photo's address, and the
    email of the person who wrote it (only compared with the reporter's, never kept)."""

    update_id: str
    description: str
    media_url: str = ""
    email: str = ""


class UpdateIdReused(Exception):
    """The client's update id was used before for another update (other words or report)."""


@dataclass(frozen=True)
class PostedUpdate:
    message: CaseMessage
    repeated: bool  # a retry: the first posting's message


def _ref(client: KnownClient, update_id: str) -> str:
    return f"{client.id}:{update_id}"


def update_id_problem(typed: str) -> Problem | None:
    text = typed.strip()
    if not text or len(text) > MAX_UPDATE_ID_CHARS or not (text.isascii() and text.isprintable()):
        return Problem(BAD_UPDATE_ID, {"limit": MAX_UPDATE_ID_CHARS})
    return None


async def case_filed_by(typed_code: str, client: KnownClient) -> Case | None:
    """The case of this tracking code, if this client filed it (the audit trail's record of
    its creation); None alike for no such case and for another's."""
    code = normalize_tracking_code(typed_code)
    case = await Case.get_or_none(tracking_code=code) if code else None
    if case is None or not await AuditEvent.exists(
            case_id=case.id, action="created", actor_type="client", actor_id=str(client.id)):
        return None
    return case


def _body(update: ClientUpdate, client: KnownClient, words: Translator, limit: int) -> str:
    said = checked_addition(update.description, limit)
    if isinstance(said, Problem):
        raise InvalidReport({"description": said})
    link = update.media_url.strip()
    link_line = words(PHOTO_LINE, {"client": client.name, "url": link}) if link.startswith(
        ("https://", "http://")) and link.isprintable() and len(link) <= 1000 else ""
    body = "\n\n".join(part for part in (said, link_line) if part)
    if not body:
        raise InvalidReport({"description": Problem(NOTHING_SAID)})
    return body


async def add_client_update(service: FilingService, case: Case, client: KnownClient,
                            update: ClientUpdate, words: Translator) -> PostedUpdate:
    """The update on the case, once per update id: InvalidReport for an empty update,
    UpdateIdReused for an id used with other content, TooManyReports when the client's
    allowance is used up, NothingStored on an outage. `words`: the staff's language, for the
    photo's line."""
    ref = _ref(client, update.update_id.strip())
    body = _body(update, client, words, service.max_description_chars)
    earlier = await _earlier(ref, case, body)
    if earlier is not None:
        return PostedUpdate(earlier, repeated=True)
    actor, from_reporter = Actor("client", str(client.id)), _from_reporter(case, update)
    try:
        async with service.stored_evidence([], service.allowance_of(client), client.subject):
            if from_reporter and case.status not in CLOSED_STATES:
                message = await record_followup(case, body, [], service.events,
                                                service.reference.service_levels,
                                                actor=actor, client_ref=ref)
            else:
                message = await _kept_for_staff(case, body, ref, actor, service.events,
                                                from_reporter)
    except InvalidReport:  # closed while it was on its way: kept all the same
        message = await _kept_for_staff(case, body, ref, actor, service.events, True)
    except IntegrityError:  # the same update, sent twice at once: the first one stored it
        twin = await _earlier(ref, case, body)
        if twin is None:
            raise
        return PostedUpdate(twin, repeated=True)
    service.events.committed()
    assert message is not None
    return PostedUpdate(message, repeated=False)


async def _earlier(ref: str, case: Case, body: str) -> CaseMessage | None:
    """The message this update id made before; UpdateIdReused if it said something else."""
    earlier = await CaseMessage.get_or_none(client_ref=ref)
    if earlier is not None and (earlier.case_id != case.id  # type: ignore[attr-defined]
                                or earlier.body != body):
        raise UpdateIdReused()
    return earlier


def _from_reporter(case: Case, update: ClientUpdate) -> bool:
    """Written by the reporter: the same mailbox as the one they gave with their consent."""
    if not case.reporter_email or not update.email.strip():
        return False
    try:
        return mailbox_key(update.email.strip()) == mailbox_key(case.reporter_email)
    except NotAMailbox:
        return False


async def _kept_for_staff(case: Case, body: str, ref: str, actor: Actor, events: CaseEvents,
                          from_reporter: bool) -> CaseMessage:
    """Kept on the case without moving it: the reporter's words on a closed report, or
    another user's comment through the app (shown to staff only)."""
    async with in_transaction() as connection:
        message = await CaseMessage.create(
            using_db=connection, case=case, author="reporter" if from_reporter else "app_user",
            kind="addition" if from_reporter else "comment", body=body, client_ref=ref)
        await events.record(connection, CaseEvent(
            case, actor, "reporter_followup" if from_reporter else "app_user_comment",
            after={"message": True, "attachments": []}, facts={"resumed": False}))
    return message
