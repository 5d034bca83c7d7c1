"""Mail to a case's outside parties: a business asked to explain, a brand owner asked for its
opinion. Each is given the goods' facts as its own request shows them (its reference, the
agency that asked), never the case: nothing of the reporter, and not the tracking code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.access.models import StaffUser
from workflows.audit.models import AuditEvent
from workflows.cases.events import CaseEvent
from workflows.mail.answering import Answerer, answerer
from workflows.mail.outbox import enqueue
from workflows.parties.goods_facts import goods_facts
from workflows.parties.models import BrandInquiry, ExplanationRequest

if TYPE_CHECKING:
    from workflows.mail.notifications import Notifier

# Businesses and the agencies write to each other in Vietnamese.
PARTY_LANGUAGE = "vi"


async def explanation_request(notifier: Notifier, connection: BaseDBAsyncClient,
                              event: CaseEvent, recorded: AuditEvent) -> None:
    """To the business asked to explain: the product facts, the question, the deadline
    and its single-use link. Nothing of the reporter (tests/security read it for that)."""
    request, case = event.facts["explanation"], event.case
    if case is None:
        return
    officer = await StaffUser.filter(id=request.requested_by_id).using_db(connection).first()
    await enqueue(connection, event_key=f"audit:{recorded.seq}:explanation_request",
                  kind="explanation_request", recipient=request.party_email, case=case,
                  answered_by=_answering(notifier, request, officer),
                  mail=notifier.renderer.render("explanation_request", PARTY_LANGUAGE, {
                      "case": goods_facts(case, request), "officer": officer,
                      "request": request, "agency": notifier.agencies.get(request.agency_code)}))


def _answering(notifier: Notifier, request: ExplanationRequest,
               officer: StaffUser | None) -> Answerer:
    """The agency's mailbox, or the officer's own when they chose it."""
    agency = answerer(notifier.reference, agency_code=request.agency_code)
    if request.reply_to_officer and officer is not None and officer.active:
        return Answerer(agency.name, officer.email)
    return agency


async def brand_inquiry(notifier: Notifier, connection: BaseDBAsyncClient, event: CaseEvent,
                        recorded: AuditEvent) -> None:
    """To a verified brand owner asked about a case: the product facts, the deadline and
    the link to its opinion. Nothing of the reporter, nor the seller."""
    inquiry, owner, case = event.facts["inquiry"], event.facts["owner"], event.case
    if case is None:
        return
    await enqueue(connection, event_key=f"audit:{recorded.seq}:brand_inquiry:{owner.id}",
                  kind="brand_inquiry", recipient=owner.email, case=case,
                  answered_by=answerer(notifier.reference, agency_code=inquiry.agency_code),
                  mail=notifier.renderer.render("brand_inquiry", owner.language, {
                      "case": goods_facts(case, inquiry),
                      "inquiry": inquiry, "owner": owner,
                      "agency": notifier.agencies.get(inquiry.agency_code)}))


async def brand_photo_notice(notifier: Notifier, connection: BaseDBAsyncClient, event: CaseEvent,
                             recorded: AuditEvent) -> None:
    """To each brand owner asked earlier whose link is still open: staff showed it another
    photo of the goods (an owner the photo makes the case ask gets its inquiry instead)."""
    case = event.case
    if case is None:
        return
    open_inquiries = await BrandInquiry.filter(
        case_id=case.id, answered_at__isnull=True, withdrawn_at__isnull=True,
        due_at__gt=recorded.created_at).using_db(connection).select_related("owner").order_by("id")
    for inquiry in open_inquiries:
        owner = inquiry.owner
        await enqueue(connection, event_key=f"audit:{recorded.seq}:brand_photo:{inquiry.id}",
                      kind="brand_photo_notice", recipient=owner.email, case=case,
                      answered_by=answerer(notifier.reference, agency_code=inquiry.agency_code),
                      mail=notifier.renderer.render("brand_photo_notice", owner.language, {
                          "case": goods_facts(case, inquiry), "inquiry": inquiry,
                          "owner": owner,
                          "agency": notifier.agencies.get(inquiry.agency_code)}))
