"""Everything the back office shows on one case page, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.audit.models import AuditEvent
from workflows.cases.flags import Flag, case_flags
from workflows.cases.models import Attachment, Case, CaseMessage, CaseNote, CaseSupport


@dataclass(frozen=True)
class CaseView:
    case: Case
    attachments: list[Attachment]
    timeline: list[AuditEvent]
    messages: list[CaseMessage]
    notes: list[CaseNote]
    flags: list[Flag]
    supports: list[CaseSupport]
    duplicate_of: Case | None


async def case_view(case: Case) -> CaseView:
    return CaseView(
        case=case,
        attachments=await Attachment.filter(case_id=case.id).order_by("id"),
        timeline=await AuditEvent.filter(case_id=case.id).order_by("seq"),
        messages=await CaseMessage.filter(case_id=case.id).order_by("created_at"),
        notes=await CaseNote.filter(case_id=case.id).order_by("created_at").select_related("author"),
        flags=case_flags(case),
        supports=await CaseSupport.filter(case_id=case.id).order_by("id").select_related(
            "assignee"),
        duplicate_of=await Case.get_or_none(
            id=case.duplicate_of_id) if case.duplicate_of_id else None,  # type: ignore[attr-defined]
    )
