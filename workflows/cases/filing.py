"""Filing a report as a case: one service for every way a report arrives — the citizens' form,
Open311 and the officers' form for calls and letters. The handlers only turn its result or its
typed refusal into HTML or JSON.

The order is what keeps a cheap request cheap: fields and the files' count and sizes are checked
first (400, nothing read), then the address's allowance is charged (429), and only then are
images decoded (in a bounded pool), stored, and the case written in one transaction — case,
attachments, routing and the events with their mail — or not at all. A disk or database that
refuses answers NothingStored (503) on every entry point alike.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, replace

import anyio.to_thread
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.access.api_clients import KnownClient
from workflows.access.limits import Allowance, RateLimited, spend
from workflows.audit.log import Actor
from workflows.cases.barcodes import barcode_key, check_barcode
from workflows.cases.draft import ReportDraft
from workflows.cases.duplicates import shop_bare_key, shop_key
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.filing_refusals import InvalidReport, NothingStored, TooManyReports
from workflows.cases.models import Attachment, Case
from workflows.cases.repeats import RepeatKey, earlier_filing, remember, taken
from workflows.cases.search import search_text
from workflows.cases.tracking import new_pin, new_tracking_code, pin_digest
from workflows.cases.validation import CheckedReport, validate_report
from workflows.cases.web_pages import page_key
from workflows.db.errors import DATABASE_UNAVAILABLE, what_refused
from workflows.evidence.checks import CheckedFile
from workflows.evidence.storage import EvidenceFile, EvidenceStore
from workflows.evidence.uploads import (
    EvidencePolicy,
    Upload,
    UploadRefused,
    check_contents,
    count_and_size,
)
from workflows.i18n.messages import N_, Errors, Problem
from workflows.reference.loading import ReferenceData
from workflows.reference.routing import RoutingFacts, route

log = logging.getLogger("intake.filing")
# Officers file what came by phone, letter or in person; the web and the API file themselves.
STAFF_CHANNELS = ("hotline", "letter", "walk_in")
API_CHANNEL = "api"  # an Open311 client's filing
FILES_FIELD = "photos"
_CODE_ATTEMPTS = 3
# The disk or the bucket refused a file (OSError), or the database the transaction.
REFUSED_FOR_NOW: tuple[type[Exception], ...] = (OSError, *DATABASE_UNAVAILABLE)


@dataclass(frozen=True)
class EntryPoint:
    """How a report arrives: the channel, who files it, their language, and the address its
    allowance is counted against (None: an officer, not limited) — or the registered API
    client, counted against its own allowance."""

    channel: str
    actor: Actor
    language: str = "vi"
    address: str | None = None
    client: KnownClient | None = None


@dataclass(frozen=True)
class FiledReport:
    case: Case
    pin: str  # shown once on the receipt, never stored (but sealed for a day for a retry)
    repeated: bool = False  # a retry of an earlier filing: nothing new was stored


def evidence_record(file: EvidenceFile) -> dict[str, object]:
    return {"name": file.original_name, "sha256": file.received_sha256, "size": file.size,
            "content_type": file.content_type}


async def charge(allowance: Allowance, subject: str) -> None:
    """One more filing (a report, an addition, an answer) by this address or client, or
    TooManyReports when its allowance is used up."""
    try:
        await spend(allowance, subject)
    except RateLimited as limited:
        raise TooManyReports(limited) from None


@asynccontextmanager
async def nothing_stored_on_outage() -> AsyncIterator[None]:
    """A database or disk that refuses the work becomes NothingStored, logged for the operator
    (a full disk refuses until someone frees it); a broken rule of the database
    (IntegrityError) stays a bug."""
    try:
        yield
    except IntegrityError:
        raise
    except REFUSED_FOR_NOW as refused:
        log.warning("nothing stored: %s", what_refused(refused))
        raise NothingStored() from refused


@dataclass(frozen=True)
class FilingService:
    reference: ReferenceData
    store: EvidenceStore
    events: CaseEvents
    secret_key: str
    policy: EvidencePolicy
    allowance: Allowance  # per address
    max_description_chars: int
    client_allowance: Allowance  # per registered client, unless the client has its own

    def check(self, fields: Mapping[str, str], channel: str = "web") -> CheckedReport:
        """The report's fields checked, once for a request: hand the result on. Through the
        API (Open311) the description is optional, as the spec has it."""
        draft, errors = validate_report(fields, self.reference.places,
                                        max_description_chars=self.max_description_chars,
                                        description_optional=channel == API_CHANNEL)
        return CheckedReport(draft, errors)

    async def file(self, fields: Mapping[str, str] | CheckedReport, uploads: Sequence[Upload],
                   entry: EntryPoint, found: Errors | None = None,
                   extras: Mapping[str, str] | None = None,
                   repeat: RepeatKey | None = None) -> FiledReport:
        """`fields`: as typed, or already checked (`check`); `found`: problems the entry
        point already saw in its own fields (reported with the rest; on the same field,
        instead of the check's); `extras`: what a client sent that has no field here, kept
        for staff; `repeat`: where a retry of this filing finds it (KeyReused: the key is
        taken)."""
        if repeat is not None:
            async with nothing_stored_on_outage():
                earlier = await earlier_filing(repeat, self.secret_key)
            if earlier is not None:
                return FiledReport(earlier.case, earlier.pin, repeated=True)
        checked = fields if isinstance(fields, CheckedReport) else self.check(fields,
                                                                               entry.channel)
        # What the entry point saw in what was sent (two values, no place) says more than a
        # "missing" about the same field.
        draft, errors = checked.draft, {**checked.errors, **(found or {})}
        if entry.actor.kind == "staff" and entry.channel not in STAFF_CHANNELS:
            errors["intake_channel"] = Problem(N_("Choose how the report was received."))
        too_many = count_and_size(uploads, self.policy)
        if too_many:
            errors[FILES_FIELD] = too_many
        if draft is None or errors:
            raise InvalidReport(errors)
        draft = replace(draft, intake_channel=entry.channel, language=entry.language,
                        extra_attributes=dict(extras) if extras else None)
        async with nothing_stored_on_outage():
            await self._charge(entry)
            evidence = await self.checked_and_stored(uploads)
            try:
                filed = await record_report(draft, evidence, self.reference, self.secret_key,
                                            entry.actor, self.events, repeat)
            except IntegrityError:
                self.store.discard(evidence)
                # A twin of this request, sent at the same moment, was stored first.
                twin = await earlier_filing(repeat, self.secret_key) if repeat else None
                if twin is None:
                    raise
                return FiledReport(twin.case, twin.pin, repeated=True)
            except BaseException:
                self.store.discard(evidence)
                raise
        self.events.committed()
        return filed

    def allowance_of(self, client: KnownClient) -> Allowance:
        """A registered client's hourly allowance: its own, else the installation's."""
        per_hour = client.reports_per_hour
        return self.client_allowance if per_hour is None else replace(self.client_allowance,
                                                                      per_hour=per_hour)

    async def _charge(self, entry: EntryPoint) -> None:
        try:
            if entry.client is not None:
                await spend(self.allowance_of(entry.client), entry.client.subject)
            elif entry.address is not None:
                await spend(self.allowance, entry.address)
        except RateLimited as limited:
            raise TooManyReports(limited) from None

    @asynccontextmanager
    async def stored_evidence(self, uploads: Sequence[Upload], allowance: Allowance,
                              subject: str) -> AsyncIterator[list[EvidenceFile]]:
        """What every addition to a case or a party shares (a reporter's follow-up, a
        supporter's photos, a business's answer, a brand owner's registration, opinion or
        guide): the subject's allowance charged, the files checked and stored, then recorded
        by the caller inside the block. Whatever fails there removes the files; a database or
        disk that refuses becomes NothingStored."""
        async with nothing_stored_on_outage():
            await charge(allowance, subject)
            evidence = await self.checked_and_stored(uploads)
            try:
                yield evidence
            except BaseException:
                self.store.discard(evidence)
                raise

    async def checked_and_stored(self, uploads: Sequence[Upload]) -> list[EvidenceFile]:
        """The files checked (InvalidReport naming the files field) and stored."""
        try:
            checked = await check_contents(uploads, self.policy)
        except UploadRefused as refused:
            raise InvalidReport({FILES_FIELD: refused.problem}) from None
        return await self.store_files(checked)

    async def store_files(self, checked: list[CheckedFile]) -> list[EvidenceFile]:
        """Every file written, or none (an OSError: the disk or the bucket refused). No
        files, no trip to a worker thread."""
        if not checked:
            return []
        return await anyio.to_thread.run_sync(self.store.save_all, checked)


async def record_report(draft: ReportDraft, evidence: list[EvidenceFile],
                        reference: ReferenceData, secret_key: str, actor: Actor,
                        events: CaseEvents, repeat: RepeatKey | None = None) -> FiledReport:
    """The case, its files, its routing and their events in one transaction (and where a
    retry finds it)."""
    for attempt in range(_CODE_ATTEMPTS):
        try:
            return await _record_once(draft, evidence, reference, secret_key, actor, events,
                                      repeat)
        except IntegrityError:
            # A tracking code collision (2^50 codes) is all but impossible, but cheap to survive;
            # a twin that stored the same repeat key first is not one.
            if attempt == _CODE_ATTEMPTS - 1 or (repeat is not None and await taken(repeat)):
                raise
    raise AssertionError("unreachable")


async def _record_once(draft: ReportDraft, evidence: list[EvidenceFile],
                       reference: ReferenceData, secret_key: str, actor: Actor,
                       events: CaseEvents, repeat: RepeatKey | None) -> FiledReport:
    code, pin = new_tracking_code(), new_pin()
    barcode = check_barcode(draft.barcode) if draft.barcode else None
    decision = route(
        RoutingFacts(draft.category, draft.product_group, draft.sales_channel, draft.commune),
        reference.rules)
    received_at = dt.datetime.now(dt.UTC)
    levels = reference.service_levels
    async with in_transaction() as connection:
        case = await Case.create(
            using_db=connection, tracking_code=code, pin_digest=pin_digest(secret_key, code, pin),
            province=reference.places.province, shop_key=shop_key(draft.shop_name),
            shop_bare=shop_bare_key(draft.shop_name),
            commune_code=reference.places.code_of(draft.commune),
            page_key=page_key(draft.online_url), barcode_key=barcode_key(draft.barcode),
            search_text=search_text(draft.product_name, draft.brand, draft.shop_name),
            barcode_check_ok=barcode.check_digit_ok if barcode else None,
            barcode_gs1_prefix=barcode.gs1_prefix if barcode else "",
            barcode_gs1_office=barcode.gs1_office if barcode else "",
            agency_code=decision.agency_code,
            routing_reason=decision.reason,
            due_at=levels.due_at(draft.category, received_at, decision.agency_code),
            triage_due_at=levels.triage_due_at(received_at), language=draft.language,
            intake_channel=draft.intake_channel, extra_attributes=draft.extra_attributes,
            **draft.values)
        for file in evidence:
            await Attachment.create(using_db=connection, case=case, added_by="reporter",
                                    **asdict(file))
        await events.record_all(connection, [
            CaseEvent(case, actor, "created", after={
                "tracking_code": code, "category": draft.category,
                "product_group": draft.product_group, "sales_channel": draft.sales_channel,
                "intake_channel": draft.intake_channel,
                "attachments": [evidence_record(file) for file in evidence]}),
            CaseEvent(case, Actor.system(), "routed", before={"agency": None},
                      after={"agency": decision.agency_code, "rule": decision.rule_id},
                      reason=decision.reason)])
        if repeat is not None:
            await remember(connection, repeat, case, pin, secret_key, received_at)
    return FiledReport(case, pin)
