"""Filing a citizen's report as a case, and what the reporter adds later with code and PIN.

A report is stored whole or not at all: case, attachments, routing decision and audit events are
written in one transaction. Evidence files are already on disk under random names when it
starts; nothing refers to them until it commits, and the caller deletes them if it does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.audit import Actor, append_event
from workflows.barcodes import check_barcode
from workflows.duplicates import shop_key
from workflows.models import Attachment, Case, CaseMessage
from workflows.notifications import Notifier
from workflows.reference import ReferenceData
from workflows.routing import RoutingFacts, route
from workflows.search import search_text
from workflows.tracking import new_pin, new_tracking_code, pin_digest, pin_matches

_CODE_ATTEMPTS = 3
PIN_MAX_FAILURES = 10
PIN_LOCKOUT = dt.timedelta(hours=1)


@dataclass(frozen=True)
class ReportDraft:
    """A validated report, as the forms layer hands it over."""

    category: str
    product_name: str
    product_group: str
    sales_channel: str
    description: str
    brand: str = ""
    barcode: str = ""
    label_origin: str = "unknown"
    quantity: int | None = None
    price_vnd: int | None = None
    purchase_date: dt.date | None = None
    shop_name: str = ""
    commune: str = ""
    street: str = ""
    online_url: str = ""
    platform: str = ""
    latitude: float | None = None
    longitude: float | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    consent: bool = False
    language: str = "vi"
    intake_channel: str = "web"


@dataclass(frozen=True)
class EvidenceFile:
    """A checked file already written to attachment storage."""

    storage_name: str
    original_name: str
    content_type: str
    size: int
    received_sha256: str
    stored_sha256: str


@dataclass(frozen=True)
class FiledReport:
    case: Case
    pin: str  # shown once on the receipt, never stored


class PinRefused(Exception):
    def __init__(self, locked_until: dt.datetime | None) -> None:
        super().__init__("PIN refused")
        self.locked_until = locked_until


def _evidence_record(file: EvidenceFile) -> dict[str, object]:
    return {"name": file.original_name, "sha256": file.received_sha256, "size": file.size,
            "content_type": file.content_type}


async def file_report(
    draft: ReportDraft,
    evidence: list[EvidenceFile],
    reference: ReferenceData,
    secret_key: str,
    actor: Actor,
    notifier: Notifier,
) -> FiledReport:
    for attempt in range(_CODE_ATTEMPTS):
        try:
            return await _file_once(draft, evidence, reference, secret_key, actor, notifier)
        except IntegrityError:
            # A tracking code collision (2^50 codes) is all but impossible, but cheap to survive.
            if attempt == _CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def _file_once(
    draft: ReportDraft,
    evidence: list[EvidenceFile],
    reference: ReferenceData,
    secret_key: str,
    actor: Actor,
    notifier: Notifier,
) -> FiledReport:
    code, pin = new_tracking_code(), new_pin()
    barcode = check_barcode(draft.barcode) if draft.barcode else None
    decision = route(
        RoutingFacts(draft.category, draft.product_group, draft.sales_channel, draft.commune),
        reference.rules,
    )
    received_at = dt.datetime.now(dt.UTC)
    async with in_transaction() as connection:
        case = await Case.create(
            using_db=connection,
            tracking_code=code,
            pin_digest=pin_digest(secret_key, code, pin),
            province=reference.places.province,
            shop_key=shop_key(draft.shop_name),
            search_text=search_text(draft.product_name, draft.brand, draft.shop_name),
            barcode_check_ok=barcode.check_digit_ok if barcode else None,
            barcode_gs1_prefix=barcode.gs1_prefix if barcode else "",
            barcode_gs1_office=barcode.gs1_office if barcode else "",
            agency_code=decision.agency_code,
            routing_rule=decision.rule_number,
            routing_reason=decision.reason,
            due_at=reference.service_levels.due_at(draft.category, received_at,
                                                   decision.agency_code),
            triage_due_at=reference.service_levels.triage_due_at(received_at),
            **asdict(draft),
        )
        for file in evidence:
            await Attachment.create(using_db=connection, case=case, added_by="reporter",
                                    **asdict(file))
        created = await append_event(
            connection,
            case=case,
            actor=actor,
            action="created",
            after={
                "tracking_code": code,
                "category": draft.category,
                "product_group": draft.product_group,
                "sales_channel": draft.sales_channel,
                "intake_channel": draft.intake_channel,
                "attachments": [_evidence_record(file) for file in evidence],
            },
        )
        routed = await append_event(
            connection,
            case=case,
            actor=Actor.system(),
            action="routed",
            before={"agency": None},
            after={"agency": decision.agency_code, "rule": decision.rule_number},
            reason=decision.reason,
        )
        await notifier.case_filed(connection, case, created)
        await notifier.case_routed(connection, case, routed)
    return FiledReport(case, pin)


async def check_reporter_pin(case: Case, typed_pin: str, secret_key: str) -> None:
    """Raise PinRefused unless the PIN is right; too many wrong tries lock the case for a while.

    The counter lives in the database, so it holds across workers and restarts.
    """
    now = dt.datetime.now(dt.UTC)
    if case.pin_locked_until and case.pin_locked_until > now:
        raise PinRefused(case.pin_locked_until)
    if pin_matches(secret_key, case.tracking_code, typed_pin, case.pin_digest):
        if case.pin_failures:
            await Case.filter(id=case.id).update(pin_failures=0, pin_locked_until=None)
        return
    async with in_transaction() as connection:
        fresh = await Case.filter(id=case.id).using_db(connection).select_for_update().get()
        failures = fresh.pin_failures + 1
        locked_until = now + PIN_LOCKOUT if failures >= PIN_MAX_FAILURES else None
        await Case.filter(id=case.id).using_db(connection).update(
            pin_failures=0 if locked_until else failures, pin_locked_until=locked_until
        )
    raise PinRefused(locked_until)


async def add_reporter_followup(
    case: Case, body: str, evidence: list[EvidenceFile]
) -> CaseMessage | None:
    """Store what an anonymous reporter adds later: more text, more photos, or both."""
    async with in_transaction() as connection:
        message = None
        if body:
            message = await CaseMessage.create(using_db=connection, case=case, author="reporter",
                                               body=body)
        for file in evidence:
            await Attachment.create(using_db=connection, case=case, added_by="reporter",
                                    **asdict(file))
        await append_event(
            connection,
            case=case,
            actor=Actor.citizen(),
            action="reporter_followup",
            after={"message": bool(body), "attachments": [_evidence_record(f) for f in evidence]},
        )
    return message
