""""I saw this too": a citizen about to report goods that an open case already covers (the same
barcode, the same shop in the same commune or ward, the same online page however its link was
shared) is offered to add to that case instead. Their note and photos join it as a supporting
report, the case counts one more person (once per network and per address: adding twice
counts once), its assignee is told, and they receive its outcome if they left an address.

A seller probing for reports about their shop learns as little as can be: the offer is made
only for a report that would be filed as it is, says only that a similar report is being
handled (no kind, status, date, count or code; the web layer carries the case encrypted),
whether or not the case is with the police, and each one is charged to the address's look-ups and
to the goods themselves — their barcode, shop and page, from anywhere — so that probing many
shops, or one shop from many addresses, soon gets no offer at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from workflows.access.limits import TOO_MANY_LOOKUPS, Allowance, RateLimited, spend
from workflows.access.networks import network_digest
from workflows.audit.log import Actor
from workflows.cases.barcodes import barcode_key
from workflows.cases.draft import ReportDraft
from workflows.cases.duplicates import same_goods_condition, shop_bare_key
from workflows.cases.events import CaseEvent
from workflows.cases.filing import FILES_FIELD, FilingService, evidence_record
from workflows.cases.filing_refusals import InvalidReport
from workflows.cases.models import Attachment, Case
from workflows.cases.states import OPEN_STATES
from workflows.cases.validation import CheckedReport
from workflows.cases.web_pages import page_key
from workflows.evidence.storage import EvidenceFile
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.parties.models import SupportingReport

JOIN_FIELD = "join_case"  # the offered case (encrypted), or NEW_REPORT
NEW_REPORT = "new"
NO_LONGER_OPEN = N_("That report is no longer open or is about other goods: file a new report.")
# Offers made for one barcode, one shop or one online page an hour, whoever asks.
OFFERS_PER_GOODS = Allowance("offer", 20, TOO_MANY_LOOKUPS)


# The longest value each compared field holds (longer typing matches nothing, and must not
# reach the database as a filter it refuses).
FIELD_LIMITS = {"barcode": 32, "shop_name": 200, "commune": 100, "online_url": 500}


@dataclass(frozen=True)
class GoodsKeys:
    """What a report is compared with open cases by, as the cases store it."""

    barcode: str
    shop: str  # the name as typed: workflows.cases.duplicates compares it
    commune: str
    page: str


def goods_keys(draft: ReportDraft) -> GoodsKeys:
    typed = {"barcode": draft.barcode.strip(), "shop_name": draft.shop_name,
             "commune": draft.commune.strip(), "online_url": draft.online_url.strip()}
    usable = {name: value if len(value) <= FIELD_LIMITS[name] else ""
              for name, value in typed.items()}
    return GoodsKeys(barcode_key(usable["barcode"]), usable["shop_name"],
                     usable["commune"], page_key(usable["online_url"]))


async def same_goods(keys: GoodsKeys) -> Case | None:
    """The newest open case an agency has (not the triage queue's, which may be spam; not
    one joined to another) about these goods or this seller. One with the police is offered
    as any other: an offer that stopped when a case was sealed would tell the seller
    probing its own shop that its case went to the police, and when."""
    condition = same_goods_condition(keys.barcode, keys.shop, keys.commune, keys.page)
    if condition is None:
        return None
    return await (Case.filter(condition, status__in=sorted(OPEN_STATES),
                              duplicate_of_id__isnull=True, agency_code__isnull=False)
                  .order_by("-created_at").first())


async def _charged_keys(keys: GoodsKeys, secret_key: str) -> GoodsKeys:
    """The keys this offer may match by: each of the report's goods keys is charged one offer,
    and one whose hour is used up matches nothing (a shop probed from many addresses stops
    being offered; the same report's barcode still may be). The counters keep keyed digests:
    they hold no shop's name."""

    async def allowed(kind: str, value: str) -> bool:
        digest = hmac.new(secret_key.encode(), f"{kind}:{value}".encode(),
                          hashlib.sha256).hexdigest()[:40]
        try:
            await spend(OFFERS_PER_GOODS, f"{kind}:{digest}")
        except RateLimited:
            return False
        return True

    # One allowance per shop however its name is written (marks, capitals, spaces).
    shop = f"{shop_bare_key(keys.shop)}\n{keys.commune}"
    return GoodsKeys(
        keys.barcode if keys.barcode and await allowed("barcode", keys.barcode) else "",
        keys.shop if keys.shop and await allowed("shop", shop) else "",
        keys.commune,
        keys.page if keys.page and await allowed("page", keys.page) else "")


async def offered_case(checked: CheckedReport, service: FilingService) -> int | None:
    """The case to offer for a report that would be filed as it is (one with mistakes gets
    its messages first, and no offer), matched by the goods keys still allowed an offer this
    hour; None when there is none (the report is then filed as a new one)."""
    if checked.draft is None or checked.errors:
        return None
    keys = await _charged_keys(goods_keys(checked.draft), service.secret_key)
    found = await same_goods(keys)
    return found.id if found else None


async def add_to_case(service: FilingService, case_id: int, checked: CheckedReport,
                      uploads: Sequence[Upload], address: str, language: str) -> Case:
    """The report joins the open case it names, checked like a report (InvalidReport,
    TooManyReports, NothingStored), and only if that case is about the goods typed."""
    draft, errors = checked.draft, dict(checked.errors)
    too_many = count_and_size(uploads, service.policy)
    if too_many:
        errors[FILES_FIELD] = too_many
    if draft is None or errors:
        raise InvalidReport(errors)
    joined = await same_goods(goods_keys(draft))
    if joined is None or joined.id != case_id:
        raise InvalidReport({JOIN_FIELD: Problem(NO_LONGER_OPEN)})
    async with service.stored_evidence(uploads, service.allowance, address) as evidence:
        case = await _record(case_id, draft, evidence, service, language,
                             network_digest(service.secret_key, "supporter", address))
    service.events.committed()
    return case


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
