"""A citizen's update that an Open311 client posts for a report it filed (FixMyStreet's
`post_service_request_update`): it joins the case as the reporter's follow-up, as if they had
added it on their own page. Only the client that filed the case may post to it; each of its
update ids makes one message, so a retry gets the first one's id; the client's allowance is
charged once per new update. The photo the client links is kept as its link, not fetched:
staff open it if they choose. Nothing of the person who wrote it (name, email) is kept."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tortoise.exceptions import IntegrityError

from workflows.access.api_clients import KnownClient
from workflows.audit.log import Actor
from workflows.audit.models import AuditEvent
from workflows.cases.filing import FilingService, InvalidReport
from workflows.cases.models import Case, CaseMessage
from workflows.cases.reporter import CLOSED_TO_ADDITIONS, record_followup
from workflows.cases.states import CLOSED_STATES
from workflows.cases.text import NO_WORDS, clean_text, has_words
from workflows.i18n.messages import N_, Problem
from workflows.i18n.translations import Translator

MAX_UPDATE_ID_CHARS = 64
PHOTO_LINE = N_("Photo linked by {client} (not downloaded): {url}")
BAD_UPDATE_ID = N_("update_id is 1 to {limit} visible ASCII characters, the client's own id "
                   "for the update.")
TOO_LONG = N_("At most {limit} characters (you typed {length}).")
NOTHING_SAID = N_("The update says nothing: give a description or a media_url.")


@dataclass(frozen=True)
class ClientUpdate:
    """What the client sent: its id for the update, the words, a photo's address."""

    update_id: str
    description: str
    media_url: str = ""


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


async def filed_by(case: Case, client: KnownClient) -> bool:
    """Whether this client filed the case (the audit trail's record of its creation)."""
    return await AuditEvent.exists(case_id=case.id, action="created", actor_type="client",
                                   actor_id=str(client.id))


def _body(update: ClientUpdate, client: KnownClient, words: Translator, limit: int) -> str:
    said = clean_text(update.description, multiline=True)
    if isinstance(said, Problem):
        raise InvalidReport({"description": said})
    if said and not has_words(said):
        raise InvalidReport({"description": Problem(NO_WORDS)})
    if len(said) > limit:
        raise InvalidReport({"description": Problem(TOO_LONG, {"limit": limit,
                                                               "length": len(said)})})
    link = update.media_url.strip()
    link_line = words(PHOTO_LINE, {"client": client.name, "url": link}) if link.startswith(
        ("https://", "http://")) and link.isprintable() and len(link) <= 1000 else ""
    body = "\n\n".join(part for part in (said, link_line) if part)
    if not body:
        raise InvalidReport({"description": Problem(NOTHING_SAID)})
    return body


async def add_client_update(service: FilingService, case: Case, client: KnownClient,
                            update: ClientUpdate, words: Translator) -> PostedUpdate:
    """The update as the reporter's follow-up, once per update id: InvalidReport for a closed
    case or an empty update, TooManyReports when the client's allowance is used up,
    NothingStored on an outage. `words`: the staff's language, for the photo's line."""
    ref = _ref(client, update.update_id.strip())
    earlier = await CaseMessage.get_or_none(client_ref=ref)
    if earlier is not None:
        return PostedUpdate(earlier, repeated=True)
    if case.status in CLOSED_STATES:
        raise InvalidReport({"service_request_id": Problem(CLOSED_TO_ADDITIONS)})
    body = _body(update, client, words, service.max_description_chars)
    per_hour = client.reports_per_hour
    allowance = service.client_allowance if per_hour is None else replace(
        service.client_allowance, per_hour=per_hour)
    try:
        async with service.stored_evidence([], allowance, client.subject):
            message = await record_followup(case, body, [], service.events,
                                            service.reference.service_levels,
                                            actor=Actor("client", str(client.id)),
                                            client_ref=ref)
    except IntegrityError:  # the same update, sent twice at once: the first one stored it
        twin = await CaseMessage.get_or_none(client_ref=ref)
        if twin is None:
            raise
        return PostedUpdate(twin, repeated=True)
    service.events.committed()
    assert message is not None
    return PostedUpdate(message, repeated=False)
