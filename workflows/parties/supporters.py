""""I saw this too": a citizen about to report goods that an open case already covers (the same
barcode, the same shop in the same commune or ward, the same online page however its link was
shared) is offered to add to that case instead. Their note and photos join it as a supporting
report, the case counts one more person (once per network and per address: adding twice
counts once), its assignee is told, and they receive its outcome if they left an address.

The offer is made only for a report that would be filed as it is (a seller probing for
reports about their shop must write one, and each offer counts as a look-up), only of cases an
agency has, and shows no tracking code and no words anyone typed: the kind of problem and of
product, what matched, the status and the date."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from workflows.access.limits import network
from workflows.audit.log import Actor
from workflows.cases.barcodes import barcode_key
from workflows.cases.draft import ReportDraft
from workflows.cases.duplicates import same_goods_condition, shop_key
from workflows.cases.events import CaseEvent
from workflows.cases.filing import (
    FILES_FIELD,
    FilingService,
    InvalidReport,
    evidence_record,
)
from workflows.cases.models import Attachment, Case
from workflows.cases.states import OPEN_STATES
from workflows.cases.validation import validate_report
from workflows.cases.web_pages import page_key
from workflows.evidence.storage import EvidenceFile
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.parties.models import SupportingReport

MAX_OFFERED = 5
JOIN_FIELD = "join_case"  # a tracking code, or NEW_REPORT
NEW_REPORT = "new"
NO_LONGER_OPEN = N_("That report is no longer open or is about other goods: file a new report.")


# The case's fields a match can be on, and how the offer names each.
MATCHED_ON = ("barcode", "shop", "online_url")
# The longest value each compared field holds (longer typing matches nothing, and must not
# reach the database as a filter it refuses).
FIELD_LIMITS = {"barcode": 32, "shop_name": 200, "commune": 100, "online_url": 500}


@dataclass(frozen=True)
class Match:
    """What the offer shows of an open case: codes from the catalogue, never free text."""

    case_id: int  # signed by the web layer into the choice; never shown
    category: str
    product_group: str
    status: str
    created_at: dt.datetime
    supporters: int
    matched: tuple[str, ...]  # of MATCHED_ON


@dataclass(frozen=True)
class GoodsKeys:
    """What a report is compared with open cases by, as the cases store it."""

    barcode: str
    shop: str
    commune: str
    page: str


def goods_keys(draft: ReportDraft) -> GoodsKeys:
    typed = {"barcode": draft.barcode.strip(), "shop_name": draft.shop_name,
             "commune": draft.commune.strip(), "online_url": draft.online_url.strip()}
    usable = {name: value if len(value) <= FIELD_LIMITS[name] else ""
              for name, value in typed.items()}
    return GoodsKeys(barcode_key(usable["barcode"]), shop_key(usable["shop_name"]),
                     usable["commune"], page_key(usable["online_url"]))


async def same_goods(keys: GoodsKeys, limit: int = MAX_OFFERED) -> list[Case]:
    """Open cases an agency has (not the triage queue's, which may be spam; not themselves
    joined to another) about these goods or this seller."""
    condition = same_goods_condition(keys.barcode, keys.shop, keys.commune, keys.page)
    if condition is None:
        return []
    return await (Case.filter(condition, status__in=sorted(OPEN_STATES),
                              duplicate_of_id__isnull=True, agency_code__isnull=False)
                  .order_by("-created_at").limit(limit))


def _match(case: Case, keys: GoodsKeys) -> Match:
    matched = (("barcode",) if case.barcode_key and case.barcode_key == keys.barcode else ()) + (
        ("shop",) if case.shop_key and case.shop_key == keys.shop
        and case.commune == keys.commune else ()) + (
        ("online_url",) if case.page_key and case.page_key == keys.page else ())
    return Match(case.id, case.category, case.product_group, case.status, case.created_at,
                 case.supporters, matched)


async def matches_of_report(fields: Mapping[str, str], service: FilingService) -> list[Match]:
    """The offer, for a report that would be filed as it is (one with mistakes gets its
    messages first, and no offer)."""
    draft, errors = validate_report(fields, service.reference.places,
                                    max_description_chars=service.max_description_chars)
    if draft is None or errors:
        return []
    keys = goods_keys(draft)
    return [_match(case, keys) for case in await same_goods(keys)]


async def add_to_case(service: FilingService, case_id: int, fields: Mapping[str, str],
                      uploads: Sequence[Upload], address: str, language: str) -> Case:
    """The report joins the open case it names, checked like a report (InvalidReport,
    TooManyReports, NothingStored), and only if that case is about the goods typed."""
    draft, errors = validate_report(fields, service.reference.places,
                                    max_description_chars=service.max_description_chars)
    too_many = count_and_size(uploads, service.policy)
    if too_many:
        errors[FILES_FIELD] = too_many
    if draft is None or errors:
        raise InvalidReport(errors)
    if case_id not in {case.id for case in await same_goods(goods_keys(draft))}:
        raise InvalidReport({JOIN_FIELD: Problem(NO_LONGER_OPEN)})
    async with service.stored_evidence(uploads, service.allowance, address) as evidence:
        case = await _record(case_id, draft, evidence, service, language,
                             _network_digest(service.secret_key, address))
    service.events.committed()
    return case


def _network_digest(secret_key: str, address: str) -> str:
    """Who added, as far as counting once needs: a keyed digest of their network (an IPv4
    address, an IPv6 /64), never the address itself."""
    return hmac.new(secret_key.encode(), f"supporter:{network(address)}".encode(),
                    hashlib.sha256).hexdigest()


async def _record(case_id: int, draft: ReportDraft, evidence: list[EvidenceFile],
                  service: FilingService, language: str, network_digest: str) -> Case:
    now = dt.datetime.now(dt.UTC)
    email = draft.reporter_email.casefold() if draft.consent else ""
    async with in_transaction() as connection:
        case = await Case.filter(id=case_id).using_db(connection).select_for_update().get()
        if case.status not in OPEN_STATES:  # settled while the photos came in
            raise InvalidReport({JOIN_FIELD: Problem(NO_LONGER_OPEN)})
        earlier = SupportingReport.filter(case_id=case.id).using_db(connection)
        counted = not await earlier.filter(network_digest=network_digest).exists() and not (
            email and await earlier.filter(reporter_email=email).exists())
        support = await SupportingReport.create(
            using_db=connection, case=case, note=draft.description, reporter_email=email,
            consent=draft.consent, language=language, network_digest=network_digest,
            counted=counted)
        for file in evidence:
            await Attachment.create(using_db=connection, case=case, added_by="supporter",
                                    supporting_report_id=support.id, **asdict(file))
        await Case.filter(id=case.id).using_db(connection).update(
            supporters=F("supporters") + int(counted), new_info_at=now)
        fresh = await Case.filter(id=case.id).using_db(connection).get()
        await service.events.record(connection, CaseEvent(
            fresh, Actor.citizen(), "supporting_report",
            after={"supporting_report_id": support.id, "supporters": fresh.supporters,
                   "counted": counted,
                   "attachments": [evidence_record(file) for file in evidence]}))
    return fresh


async def supporting_count(first_day: dt.date, last_day: dt.date,
                           agency_code: str | None = None) -> int:
    """How many people added to an open report instead of filing again, in these days
    (Vietnam's), on the cases of one agency or of all: the statistics' "reported the same
    goods". Counted live: a supporting report never changes once made."""
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=VIETNAM)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM)
    found = SupportingReport.filter(created_at__gte=start, created_at__lt=end, counted=True)
    if agency_code:
        found = found.filter(case__agency_code=agency_code)
    return await found.count()
