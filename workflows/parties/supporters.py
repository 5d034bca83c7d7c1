""""I saw this too": a citizen about to report goods that an open case already covers (the same
barcode, the same shop in the same commune or ward, the same online page) is offered to add to
that case instead. Their note and photos join it as a supporting report, the case counts one
more person, its assignee is told, and they receive its outcome if they left an address. The
offer shows only the public facts of the matching cases (product, brand, status, date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from workflows.audit.log import Actor
from workflows.cases.draft import ReportDraft
from workflows.cases.duplicates import same_goods_condition, shop_key
from workflows.cases.events import CaseEvent
from workflows.cases.filing import (
    FILES_FIELD,
    FilingService,
    InvalidReport,
    charge,
    evidence_record,
    nothing_stored_on_outage,
)
from workflows.cases.models import Attachment, Case
from workflows.cases.states import OPEN_STATES
from workflows.cases.tracking import normalize_tracking_code
from workflows.cases.validation import validate_report
from workflows.evidence.storage import EvidenceFile
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.parties.models import SupportingReport

MAX_OFFERED = 5
JOIN_FIELD = "join_case"  # a tracking code, or NEW_REPORT
NEW_REPORT = "new"
NO_LONGER_OPEN = N_("That report is no longer open or is about other goods: file a new report.")


@dataclass(frozen=True)
class Match:
    """What the offer shows of an open case: nothing of its reporter, nor of the shop."""

    tracking_code: str
    product_name: str
    brand: str
    category: str
    status: str
    created_at: dt.datetime
    supporters: int


async def same_goods(barcode: str, shop_name: str, commune: str, online_url: str,
                     limit: int = MAX_OFFERED) -> list[Case]:
    """Open cases (not themselves joined to another) about these goods or this seller."""
    condition = same_goods_condition(barcode.strip(), shop_key(shop_name), commune.strip(),
                                     online_url.strip())
    if condition is None:
        return []
    return await (Case.filter(condition, status__in=sorted(OPEN_STATES),
                              duplicate_of_id__isnull=True)
                  .order_by("-created_at").limit(limit))


def _match(case: Case) -> Match:
    return Match(case.tracking_code, case.product_name, case.brand, case.category, case.status,
                 case.created_at, case.supporters)


async def matches_typed(fields: Mapping[str, str]) -> list[Match]:
    """The open cases a form's goods and seller fields point to, as typed (the offer made
    while the citizen writes)."""
    found = await same_goods(fields.get("barcode", ""), fields.get("shop_name", ""),
                             fields.get("commune", ""), fields.get("online_url", ""))
    return [_match(case) for case in found]


async def matches_of_report(fields: Mapping[str, str], service: FilingService) -> list[Match]:
    """The offer after a first submit without JavaScript: only for a report that would be
    filed as it is (one with mistakes gets its messages first)."""
    draft, errors = validate_report(fields, service.reference.places,
                                    max_description_chars=service.max_description_chars)
    if draft is None or errors:
        return []
    return [_match(case) for case in await _draft_matches(draft)]


async def _draft_matches(draft: ReportDraft) -> list[Case]:
    return await same_goods(draft.barcode, draft.shop_name, draft.commune, draft.online_url)


async def add_to_case(service: FilingService, typed_code: str, fields: Mapping[str, str],
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
    code = normalize_tracking_code(typed_code)
    if code not in {case.tracking_code for case in await _draft_matches(draft)}:
        raise InvalidReport({JOIN_FIELD: Problem(NO_LONGER_OPEN)})
    async with nothing_stored_on_outage():
        await charge(service.allowance, address)
        evidence = await service.checked_and_stored(uploads)
        try:
            case = await _record(code or "", draft, evidence, service, language)
        except BaseException:
            service.store.discard(evidence)
            raise
    service.events.committed()
    return case


async def _record(code: str, draft: ReportDraft, evidence: list[EvidenceFile],
                  service: FilingService,
                  language: str) -> Case:
    now = dt.datetime.now(dt.UTC)
    async with in_transaction() as connection:
        case = await Case.filter(tracking_code=code).using_db(
            connection).select_for_update().get()
        if case.status not in OPEN_STATES:  # settled while the photos came in
            raise InvalidReport({JOIN_FIELD: Problem(NO_LONGER_OPEN)})
        support = await SupportingReport.create(
            using_db=connection, case=case, note=draft.description,
            reporter_email=draft.reporter_email if draft.consent else "",
            consent=draft.consent, language=language)
        for file in evidence:
            await Attachment.create(using_db=connection, case=case, added_by="supporter",
                                    supporting_report_id=support.id, **asdict(file))
        await Case.filter(id=case.id).using_db(connection).update(
            supporters=F("supporters") + 1, new_info_at=now)
        fresh = await Case.filter(id=case.id).using_db(connection).get()
        await service.events.record(connection, CaseEvent(
            fresh, Actor.citizen(), "supporting_report",
            after={"supporting_report_id": support.id, "supporters": fresh.supporters,
                   "attachments": [evidence_record(file) for file in evidence]}))
    return fresh


async def supporting_count(first_day: dt.date, last_day: dt.date,
                           agency_code: str | None = None) -> int:
    """How many times people added to an open report instead of filing again, in these days
    (Vietnam's), on the cases of one agency or of all: the statistics' "reported the same
    goods". Counted live: a supporting report never changes once made."""
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=VIETNAM)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM)
    found = SupportingReport.filter(created_at__gte=start, created_at__lt=end)
    if agency_code:
        found = found.filter(case__agency_code=agency_code)
    return await found.count()
