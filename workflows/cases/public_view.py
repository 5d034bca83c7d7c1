"""What anyone holding a tracking code may see of a case, and what its reporter may see.

The public view is built field by field from a whitelist: the description, the shop and
everything about the reporter stay out, whatever is added to the case later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Max

from workflows.access.limits import Allowance, spend
from workflows.cases.models import Attachment, Case, CaseMessage, CaseUpdate
from workflows.cases.sealing import is_sealed
from workflows.cases.states import CLOSED_STATES, PAUSED_STATE, SETTLED_STATES
from workflows.cases.tracking import normalize_tracking_code
from workflows.parties.models import ExplanationRequest
from workflows.reference.catalog import WAITING_FOR_BUSINESS, WITH_AUTHORITIES


@dataclass(frozen=True)
class PublicReply:
    body: str
    created_at: dt.datetime
    question: bool = False  # asked of the reporter, not an answer: shown as such, while open


def _shown(messages: list[CaseMessage], case: Case) -> tuple[PublicReply, ...]:
    """The agency's answers, and its questions to the reporter while the case is open (once
    it is settled, a question asked on the way is no news to anyone)."""
    settled = case.status in CLOSED_STATES
    return tuple(PublicReply(message.body, message.created_at, message.kind == "question")
                 for message in messages if not (settled and message.kind == "question"))


@dataclass(frozen=True)
class PublicStatus:
    tracking_code: str
    status: str
    category: str
    agency_code: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    due_at: dt.datetime | None
    replies: tuple[PublicReply, ...]
    # What the agency found, in the words it wrote for the public, once the case is settled.
    outcome: str = ""
    # A report rejected as a duplicate shows the case it joined, and that case's outcome.
    duplicate_of: str | None = None
    # A business was asked to explain; what the agency published of its answers.
    explanation_asked: bool = False
    explanations: tuple[PublicReply, ...] = ()
    # On hold for a business's answer rather than the reporter's.
    waits_for_business: bool = False
    # With the police (workflows.cases.sealing): no agency is named.
    sealed: bool = False

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATES

    @property
    def shown_status(self) -> str:
        """The status as a citizen reads it: on hold for a business is not on hold for them."""
        if self.status == PAUSED_STATE and self.waits_for_business:
            return WAITING_FOR_BUSINESS
        return self.status


def public_notes(status: str, public_outcome: str, last_reply: str) -> str:
    """What a case's public status says in words: its outcome once settled, else the agency's
    last reply ("" when neither)."""
    return (public_outcome if status in SETTLED_STATES else "") or last_reply


async def last_public_changes(case_ids: list[int]) -> dict[int, dt.datetime]:
    """When each case last changed in public (a reply, a question, a status, an outcome): a
    reply moves no column of the case, yet a client watching updated_datetime must see it."""
    rows = await CaseUpdate.filter(case_id__in=case_ids).group_by("case_id").annotate(
        last=Max("created_at")).values("case_id", "last")
    return {row["case_id"]: row["last"] for row in rows}


def updated(case_updated_at: dt.datetime, last_public: dt.datetime | None) -> dt.datetime:
    return max(case_updated_at, last_public) if last_public else case_updated_at


async def _last_changed(case: Case) -> dt.datetime:
    """The case's updated time as the public reads it (`updated`)."""
    return updated(case.updated_at, (await last_public_changes([case.id])).get(case.id))


async def find_case(tracking_code: str | None) -> Case | None:
    if not tracking_code:
        return None
    return await Case.get_or_none(tracking_code=tracking_code)


async def look_up(typed_code: str, address: str, allowance: Allowance) -> Case | None:
    """The case a person typed the code of, counted against their address's hourly allowance
    of look-ups (RateLimited when it is used up)."""
    await spend(allowance, address)
    return await find_case(normalize_tracking_code(typed_code))


async def waits_for_business(case: Case, connection: BaseDBAsyncClient | None = None) -> bool:
    """On hold, and put on hold to wait for a business's explanation not yet sent (the
    reporter's additions then do not resume it)."""
    if case.status != PAUSED_STATE or case.paused_at is None:
        return False
    return await ExplanationRequest.filter(
        case_id=case.id, pauses=True, answered_at__isnull=True, withdrawn_at__isnull=True,
        created_at__gte=case.paused_at).using_db(connection).exists()


async def public_status(case: Case, *, for_reporter: bool = False) -> PublicStatus:
    """What anyone with the code sees (`for_reporter`: what the reporter sees on their own
    page). A case with the police shows the public only that the competent authorities handle
    it, and what it said before (workflows.cases.sealing)."""
    if is_sealed(case) and not for_reporter:
        return await _sealed_status(case)
    replies = await CaseMessage.filter(case_id=case.id, author="agency").order_by("created_at")
    settled = case
    if case.duplicate_of_id is not None:  # type: ignore[attr-defined]
        settled = await Case.get(id=case.duplicate_of_id)  # type: ignore[attr-defined]
    return PublicStatus(
        tracking_code=case.tracking_code,
        status=case.status,
        category=case.category,
        agency_code=case.agency_code,
        created_at=case.created_at,
        updated_at=await _last_changed(case),
        due_at=case.due_at,
        replies=_shown(replies, case),
        outcome=public_notes(settled.status, settled.public_outcome, ""),
        # A sealed report's reporter is not shown the case it joined: that one is sealed too.
        duplicate_of=settled.tracking_code if settled is not case and not is_sealed(case)
        else None,
        explanation_asked=await ExplanationRequest.exists(case_id=case.id),
        waits_for_business=await waits_for_business(case),
        explanations=tuple(PublicReply(summary.public_summary,
                                       summary.published_at or summary.created_at)
                           for summary in await ExplanationRequest.filter(
                               case_id=case.id, published_at__isnull=False).order_by("id")),
    )


async def _sealed_status(case: Case) -> PublicStatus:
    """Open: "being handled by the competent authorities", no agency, no date to expect, no
    word said since the seal; once settled, the outcome staff wrote for the public."""
    assert case.sealed_at is not None
    replies = await CaseMessage.filter(case_id=case.id, author="agency",
                                       created_at__lt=case.sealed_at).order_by("created_at")
    settled = case.status in CLOSED_STATES
    return PublicStatus(
        tracking_code=case.tracking_code,
        status=case.status if settled else WITH_AUTHORITIES,
        category=case.category, agency_code=None, created_at=case.created_at,
        updated_at=await _last_changed(case) if settled else case.sealed_at, due_at=None,
        replies=_shown(replies, case),
        outcome=public_notes(case.status, case.public_outcome, ""), sealed=True)


@dataclass(frozen=True)
class ThreadEntry:
    """One step of the conversation: the agency's reply or question, the reporter's
    addition, or the outcome."""

    at: dt.datetime
    kind: str  # "reply", "question", "addition", "outcome"
    body: str


@dataclass(frozen=True)
class ReporterThread:
    """The exchange between an anonymous reporter and the agency, in order, and the files
    they sent."""

    entries: list[ThreadEntry]
    attachment_names: list[str]


async def reporter_thread(case: Case) -> ReporterThread:
    # Another app user's comment is not part of the reporter's exchange with the agency.
    messages = await CaseMessage.filter(case_id=case.id, author__in=("reporter", "agency")
                                        ).order_by("created_at", "id")
    entries = [ThreadEntry(message.created_at, message.kind, message.body) for message in messages]
    if case.status in SETTLED_STATES and case.resolved_at and case.public_outcome:
        entries.append(ThreadEntry(case.resolved_at, "outcome", case.public_outcome))
    entries.sort(key=lambda entry: entry.at)
    names = await Attachment.filter(case_id=case.id, added_by="reporter").order_by("id").values_list(
        "original_name", flat=True)
    return ReporterThread(entries, list(names))  # type: ignore[arg-type]
