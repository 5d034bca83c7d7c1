"""A brand owner's opinion on a case's goods — genuine, counterfeit, or cannot tell — with its
reasons and evidence, given once through the signed link of the inquiry until its deadline.
It stands on the case beside the inspector's findings and reaches the assignee.

What the owner is shown of a case is `OwnerView`: the product facts and the photos of the goods
staff chose to share (workflows.parties.brand_steps), never the reporter (no name, contact,
description in their words, street, or share link), and not the seller either — the agency
decides whether and when a business learns it is inspected."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from workflows.access.limits import Allowance
from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent
from workflows.cases.filing import FILES_FIELD, FilingService, evidence_record
from workflows.cases.filing_refusals import InvalidReport
from workflows.cases.models import Attachment, Case
from workflows.cases.states import CLOSED_STATES
from workflows.cases.text import required_words
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.formatting import format_date
from workflows.i18n.messages import N_, Errors, Problem
from workflows.parties.explanations import CASE_CLOSED, UNKNOWN_LINK, LinkRefused
from workflows.parties.goods_facts import GoodsFacts, goods_facts
from workflows.parties.models import BrandInquiry, BrandOwner
from workflows.reference.catalog import VERDICT_CODES

MAX_OPINION_CHARS = 10000
# Only pictures of the goods, as citizens sent them: a PDF is usually a receipt with a name.
SHOWN_PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
SHOWN_PHOTO_SOURCES = ("reporter", "supporter")
ANSWERED = N_("This link has already been used: your opinion was received on {day}. Each link "
              "works once.")
EXPIRED = N_("This link expired on {day}, the deadline for your opinion. Contact the agency "
             "that asked for it.")
WITHDRAWN = N_("The agency no longer needs your opinion on this report: the link no longer "
               "works.")
NOT_VERIFIED = N_("Your registration as a brand owner is no longer verified: this link no "
                  "longer works.")


@dataclass(frozen=True)
class OwnerView:
    """What a brand owner may see of a case: the goods, and the photos staff shared."""

    facts: GoodsFacts
    photos: tuple[Attachment, ...]


def _shared(case: Case) -> QuerySet[Attachment]:
    return Attachment.filter(case_id=case.id, added_by__in=SHOWN_PHOTO_SOURCES,
                             content_type__in=sorted(SHOWN_PHOTO_TYPES), shared_with_owners=True)


async def owner_view(inquiry: BrandInquiry) -> OwnerView:
    """What the inquiry's owner sees of its case."""
    case = inquiry.case
    photos = await _shared(case).order_by("id")
    return OwnerView(goods_facts(case, inquiry), tuple(photos))


async def shown_photo(inquiry: BrandInquiry, attachment_id: int) -> Attachment | None:
    """A photo of the goods of the inquiry's case that staff shared, as `OwnerView` lists
    them."""
    return await _shared(inquiry.case).get_or_none(id=attachment_id)


async def open_inquiry(inquiry_id: int, nonce: str, now: dt.datetime) -> BrandInquiry:
    """The inquiry a link opens, with its case and owner, while it can still be answered."""
    inquiry = await BrandInquiry.get_or_none(id=inquiry_id).select_related("case", "owner")
    if inquiry is None or not hmac.compare_digest(inquiry.link_nonce.encode(), nonce.encode()):
        raise LinkRefused(Problem(UNKNOWN_LINK), 404)
    if inquiry.answered_at is not None:
        raise LinkRefused(Problem(ANSWERED, {"day": format_date(inquiry.answered_at)}), 410)
    if inquiry.withdrawn_at is not None:
        raise LinkRefused(Problem(WITHDRAWN), 410)
    if inquiry.owner.status != "verified":
        raise LinkRefused(Problem(NOT_VERIFIED), 410)
    if inquiry.due_at < now:
        raise LinkRefused(Problem(EXPIRED, {"day": format_date(inquiry.due_at)}), 410)
    if inquiry.case.status in CLOSED_STATES:
        raise LinkRefused(Problem(CASE_CLOSED), 410)
    return inquiry


def read_opinion(fields: Mapping[str, str], uploads: Sequence[Upload],
                 service: FilingService) -> tuple[str, str]:
    """The verdict and its reasons, or InvalidReport naming each field."""
    errors: Errors = {}
    verdict = fields.get("verdict", "").strip()
    if verdict not in VERDICT_CODES:
        errors["verdict"] = Problem(N_("Choose whether the goods are genuine, counterfeit, or "
                                       "whether you cannot tell."))
    text = required_words(fields.get("opinion", ""), N_("Say what your opinion rests on."),
                          MAX_OPINION_CHARS)
    if isinstance(text, Problem):
        errors["opinion"] = text
    too_many = count_and_size(uploads, service.policy)
    if too_many:
        errors[FILES_FIELD] = too_many
    if errors:
        raise InvalidReport(errors)
    return verdict, str(text)


async def give_opinion(service: FilingService, inquiry_id: int, nonce: str,
                       fields: Mapping[str, str], uploads: Sequence[Upload],
                       allowance: Allowance, address: str, now: dt.datetime) -> BrandInquiry:
    """Store the owner's opinion and evidence, once: a second use of the link, even at the
    same moment, is refused (LinkRefused) and stores nothing. Each try is charged to the
    address's allowance before the files are checked."""
    inquiry = await open_inquiry(inquiry_id, nonce, now)
    verdict, text = read_opinion(fields, uploads, service)
    async with service.stored_evidence(uploads, allowance, address) as evidence:
        async with in_transaction() as connection:
            if not await BrandOwner.filter(id=inquiry.owner.id, status="verified").using_db(
                    connection).exists():
                raise LinkRefused(Problem(NOT_VERIFIED), 410)  # withdrawn meanwhile
            if not await BrandInquiry.filter(
                    id=inquiry.id, answered_at__isnull=True,
                    withdrawn_at__isnull=True).using_db(connection).update(
                    answered_at=now, verdict=verdict, opinion=text):
                raise LinkRefused(Problem(ANSWERED, {"day": format_date(now)}), 410)
            case = await Case.filter(id=inquiry.case.id).using_db(
                connection).select_for_update().get()
            if case.status in CLOSED_STATES:  # closed while the files came in
                raise LinkRefused(Problem(CASE_CLOSED), 410)
            for file in evidence:
                await Attachment.create(using_db=connection, case=case,
                                        added_by="brand_owner", brand_inquiry_id=inquiry.id,
                                        **asdict(file))
            await Case.filter(id=case.id).using_db(connection).update(new_info_at=now)
            await service.events.record(connection, CaseEvent(
                case, Actor("brand_owner", str(inquiry.owner.id)), "brand_opinion",
                after={"inquiry": inquiry.id, "verdict": verdict,
                       "opinion_sha256": hashlib.sha256(text.encode()).hexdigest(),
                       "attachments": [evidence_record(file) for file in evidence]}))
    service.events.committed()
    return await BrandInquiry.get(id=inquiry.id).select_related("case", "owner")


async def owner_inquiries(owner_id: int) -> list[BrandInquiry]:
    """An owner's inquiries, newest first, with their cases: its own page."""
    return await BrandInquiry.filter(owner_id=owner_id).select_related("case").order_by("-id")
