"""A period's report as files: the Word document a province signs and sends
(workflows.figures.document), its PDF (rendered from it by LibreOffice, workflows.figures.pdf),
the XLSX data file with the same tables (workflows.figures.formal),
CSV (UTF-8 with BOM, so Excel shows Vietnamese) and JSON for machines. Nothing about a reporter
is ever written, and text cells a spreadsheet would read as a formula are neutralised."""

from __future__ import annotations

import datetime as dt
import json

import anyio.to_thread
from tortoise.transactions import in_transaction

from workflows.audit.log import Actor, append_event
from workflows.audit.sequencer import latest_checkpoint
from workflows.figures import pdf
from workflows.figures.crosstabs import CrossTables, tables_of
from workflows.figures.formal import formal_workbook
from workflows.figures.neutral import csv_text
from workflows.figures.sections import sections
from workflows.figures.statistics import Figures, PeriodReport, period_report_and_tallies
from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.reference.agencies import Agency
from workflows.reference.loading import ReferenceData
from workflows.reference.reporting import Period, period_span, period_title
from workflows.reference.reports import Issuer, agency_issuer

CHECKPOINT_LABEL = N_("Audit log checkpoint when this file was made (verify at /audit/key):")
TITLE = N_("REPORT ON CITIZENS' REPORTS OF COUNTERFEIT, IMITATION AND SUBSTANDARD GOODS")
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf",
           "json": "application/json"}
# The line list is one case per line: CSV, or JSON lines.
LINE_LIST_FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/jsonl"}


def download(file_format: str, detail: bool) -> tuple[str, str] | None:
    """(extension, media type) of a download, or None if there is no such file."""
    if detail:
        media = LINE_LIST_FORMATS.get(file_format)
        return ("jsonl" if file_format == "json" else file_format, media) if media else None
    return (file_format, FORMATS[file_format]) if file_format in FORMATS else None


def period_text(period: Period, words: Translator) -> str:
    return f"{period_title(period, words)} ({period_span(period)})"


def scope_text(report: PeriodReport, agencies: dict[str, Agency], words: Translator) -> str:
    if report.agency_code and report.agency_code in agencies:
        return words.gettext(agencies[report.agency_code].label)
    return words.gettext(N_("The whole province (every agency)"))


def to_csv(report: PeriodReport, agencies: dict[str, Agency], words: Translator,
           checkpoint: str) -> bytes:
    rows: list[list[object]] = [[
        words(N_("Section")), words(N_("Item")),
        words(N_("This period {period}"), {"period": period_text(report.period, words)}),
        words(N_("Previous period {period}"),
              {"period": period_text(report.previous_period, words)}),
        words(N_("Change"))]]
    rows += [[section.title, line.label, line.current, line.previous, line.change]
             for section in sections(report, agencies, words) for line in section.lines]
    rows += [[], [words(CHECKPOINT_LABEL), checkpoint]]  # one cell: the note, exactly
    return ("\ufeff" + csv_text(rows)).encode("utf-8")


def _period_json(period: Period, words: Translator) -> dict[str, str]:
    return {"label": period.label, "title": period_title(period, words),
            "from": period.first_day.isoformat(), "to": period.last_day.isoformat()}


def _figures_json(figures: Figures) -> dict[str, object]:
    return {"received": figures.received, "by": figures.by,
            "open_at_end": figures.open_at_end, "settled_by_end": figures.settled_by_end,
            "rejected": figures.rejected, "resolved": figures.resolved,
            "resolved_in_time": figures.resolved_in_time, "median_days": figures.median_days,
            "p90_days": figures.p90_days, "outcomes": figures.outcomes,
            "fines_vnd": figures.fines_vnd, "seized_quantity": figures.seized_quantity,
            "seized_value_vnd": figures.seized_value_vnd,
            "top_brands": figures.top_brands, "top_products": figures.top_products,
            "top_shops": figures.top_shops}


def to_json(report: PeriodReport, agencies: dict[str, Agency], words: Translator,
            checkpoint: str) -> bytes:
    document = {
        "period": _period_json(report.period, words),
        "previous_period": _period_json(report.previous_period, words),
        "agency": report.agency_code,
        "current": _figures_json(report.current),
        "previous": _figures_json(report.previous),
        "sections": [{"key": s.key, "title": s.title,
                      "lines": [{"label": line.label, "current": line.current,
                                 "previous": line.previous, "change": line.change}
                                for line in s.lines]} for s in sections(report, agencies, words)],
        "audit_checkpoint": checkpoint,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def render_report(report: PeriodReport, tables: CrossTables, agencies: dict[str, Agency],
                  words: Translator, file_format: str, made_on: dt.date, checkpoint: str,
                  issuer: Issuer) -> bytes:
    """The file, with the audit log's latest signed checkpoint when it was made: a later
    rewrite of the log contradicts every file already handed out. (PDF: pdf.Unavailable when
    LibreOffice is not installed.)"""
    if file_format == "csv":
        return to_csv(report, agencies, words, checkpoint)
    scope = scope_text(report, agencies, words)
    if file_format in ("docx", "pdf"):
        from workflows.figures.document import report_document  # python-docx: 0.1 s to import

        document = report_document(report, tables, agencies, words, issuer, made_on, scope,
                                   checkpoint)
        return pdf.from_docx(document, words.language) if file_format == "pdf" else document
    if file_format == "xlsx":
        return formal_workbook(report, tables, agencies, words, issuer, made_on, scope,
                               checkpoint)
    return to_json(report, agencies, words, checkpoint)


def issuer_of(agency_code: str | None, reference: ReferenceData) -> Issuer:
    """The committee issues the province's report; an agency its own, under its heading."""
    committee = reference.calendar.issuer
    agency = reference.agencies.get(agency_code) if agency_code else None
    return agency_issuer(committee, agency) if agency else committee


async def report_file(period: Period, agency_code: str | None, reference: ReferenceData,
                      words: Translator, file_format: str, made_on: dt.date,
                      checkpoint: str) -> bytes:
    """A period's report, counted and written: the figures beside the previous period's, the
    cross-tables, in the file format asked for (a PDF is rendered off the event loop)."""
    if file_format in ("docx", "pdf"):
        words = reference.translator("vi")  # a document to sign and send is Vietnamese
    report, tallies = await period_report_and_tallies(period, agency_code, reference.calendar)
    tables = tables_of(tallies) if file_format in ("xlsx", "docx", "pdf") else CrossTables()
    return await anyio.to_thread.run_sync(
        render_report, report, tables, reference.agencies, words, file_format, made_on,
        checkpoint, issuer_of(agency_code, reference))


def file_name(report_period: Period, agency_code: str | None, extension: str,
              detail: bool = False) -> str:
    scope = agency_code or "tinh"
    kind = "danh-sach" if detail else "thong-ke"
    period = report_period.label.replace("..", "_").replace(":", "-")
    return f"intake-{kind}-{period}-{scope}.{extension}"


async def latest_checkpoint_note() -> str:
    """The checkpoint a file prints: the latest the sequencer signed ("" before the first).
    An export signs none of its own: each would be a row and a signature, and a burst of
    downloads a burst of both; the log's head is signed INTAKE_CHECKPOINT_SECONDS after it
    grows anyway."""
    latest = await latest_checkpoint()
    return latest.note if latest is not None else ""


async def record_export(actor: Actor, period: Period, agency_code: str | None, file_format: str,
                        detail: bool) -> None:
    """Who took which figures out, in the audit trail."""
    async with in_transaction() as connection:
        await append_event(connection, case=None, actor=actor, action="export",
                           after={"period": period.label, "agency": agency_code,
                                  "format": file_format, "detail": detail})
