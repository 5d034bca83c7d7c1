"""Filing a citizen's report as a case.

A report is stored whole or not at all: case, attachments, routing decision and audit events are
written in one transaction. Evidence files are already on disk under random names when it
starts; nothing refers to them until it commits, and the caller deletes them if it does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.audit.log import Actor, append_event
from workflows.cases.barcodes import check_barcode
from workflows.cases.duplicates import shop_key
from workflows.cases.models import Attachment, Case
from workflows.cases.search import search_text
from workflows.cases.tracking import new_pin, new_tracking_code, pin_digest
from workflows.cases.validation import ReportDraft
from workflows.evidence.storage import EvidenceFile
from workflows.mail.notifications import Notifier
from workflows.reference.loading import ReferenceData
from workflows.reference.routing import RoutingFacts, route

_CODE_ATTEMPTS = 3


@dataclass(frozen=True)
class FiledReport:
    case: Case
    pin: str  # shown once on the receipt, never stored


def evidence_record(file: EvidenceFile) -> dict[str, object]:
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
                "attachments": [evidence_record(file) for file in evidence],
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
