"""A period's report as files: CSV (UTF-8 with BOM, so Excel shows Vietnamese), XLSX laid out as
a report a clerk can print, JSON for machines. Nothing about a reporter is ever written, and
text cells a spreadsheet would read as a formula are neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from tortoise.transactions import in_transaction

from workflows.audit.log import Actor, append_event
from workflows.figures.sections import sections
from workflows.figures.statistics import Figures, PeriodReport
from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.reference.agencies import Agency
from workflows.reference.reporting import Period

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
VND_FORMAT = '#,##0 "₫"'
CHECKPOINT_LABEL = N_("Audit log checkpoint when this file was made (verify at /audit/key):")
TITLE = N_("REPORT ON CITIZENS' REPORTS OF COUNTERFEIT, IMITATION AND SUBSTANDARD GOODS")
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json"}
# The line list is one case per line: CSV, or JSON lines.
LINE_LIST_FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/jsonl"}


def download(file_format: str, detail: bool) -> tuple[str, str] | None:
    """(extension, media type) of a download, or None if there is no such file."""
    if detail:
        media = LINE_LIST_FORMATS.get(file_format)
        return ("jsonl" if file_format == "json" else file_format, media) if media else None
    return (file_format, FORMATS[file_format]) if file_format in FORMATS else None


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def period_text(period: Period) -> str:
    return f"{period.label} ({period.first_day:%d/%m/%Y} – {period.last_day:%d/%m/%Y})"


def scope_text(report: PeriodReport, agencies: dict[str, Agency], words: Translator) -> str:
    if report.agency_code and report.agency_code in agencies:
        return words.gettext(agencies[report.agency_code].label)
    return words.gettext(N_("The whole province (every agency)"))


def _plain(value: object) -> object:
    return "" if value is None else value


def to_csv(report: PeriodReport, agencies: dict[str, Agency], words: Translator,
           checkpoint: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([words(N_("Section")), words(N_("Item")),
                     words(N_("This period {period}"), {"period": report.period.label}),
                     words(N_("Previous period {period}"), {"period": report.previous_period.label}),
                     words(N_("Change"))])
    for section in sections(report, agencies, words):
        for line in section.lines:
            writer.writerow([section.title, neutralise(line.label), _plain(line.current),
                             _plain(line.previous), _plain(line.change)])
    writer.writerow([])
    writer.writerow([words(CHECKPOINT_LABEL), checkpoint])  # one cell: the note, exactly
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _period_json(period: Period) -> dict[str, str]:
    return {"label": period.label, "from": period.first_day.isoformat(),
            "to": period.last_day.isoformat()}


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
        "period": _period_json(report.period),
        "previous_period": _period_json(report.previous_period),
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


def to_xlsx(report: PeriodReport, agencies: dict[str, Agency], words: Translator,
            made_on: dt.date, checkpoint: str) -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)
    for index, section in enumerate(sections(report, agencies, words)):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = section.title[:31]
        sheet.append([words(TITLE)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([words(N_("Reporting period: {period}"), {"period": period_text(report.period)})])
        sheet.append([words(N_("Compared with: {period}"),
                            {"period": period_text(report.previous_period)})])
        sheet.append([words(N_("Scope: {scope}"), {"scope": scope_text(report, agencies, words)})])
        sheet.append([words(N_("Made on: {date}"), {"date": f"{made_on:%d/%m/%Y}"})])
        sheet.append([])
        sheet.append([section.title.upper()])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append([words(N_("Item")), words(N_("This period")), words(N_("Previous period")),
                      words(N_("Change"))])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for line in section.lines:
            sheet.append([neutralise(line.label), line.current, line.previous, line.change])
            for cell in sheet[sheet.max_row][1:]:
                cell.number_format = VND_FORMAT if line.money else "#,##0.##"
        sheet.append([])
        sheet.append([words(CHECKPOINT_LABEL)])
        sheet.append([checkpoint])  # printed under the figures, the note exactly
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                          end_column=4)
        sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(sheet.max_row, 1).font = Font(name="Courier New", size=8)
        sheet.row_dimensions[sheet.max_row].height = 12 * (checkpoint.count("\n") + 2)
        for column, width in zip("ABCD", (48, 18, 18, 16), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.print_title_rows = "8:8"
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_report(report: PeriodReport, agencies: dict[str, Agency], words: Translator,
                  file_format: str, made_on: dt.date, checkpoint: str) -> bytes:
    """The file, with the audit log's signed checkpoint of the moment it was made: a later
    rewrite of the log contradicts every file already handed out."""
    if file_format == "csv":
        return to_csv(report, agencies, words, checkpoint)
    if file_format == "xlsx":
        return to_xlsx(report, agencies, words, made_on, checkpoint)
    return to_json(report, agencies, words, checkpoint)


def file_name(report_period: Period, agency_code: str | None, extension: str,
              detail: bool = False) -> str:
    scope = agency_code or "tinh"
    kind = "danh-sach" if detail else "thong-ke"
    return f"intake-{kind}-{report_period.label.replace('..', '_')}-{scope}.{extension}"


async def record_export(actor: Actor, period: Period, agency_code: str | None, file_format: str,
                        detail: bool) -> None:
    """Who took which figures out, in the audit trail."""
    async with in_transaction() as connection:
        await append_event(connection, case=None, actor=actor, action="export",
                           after={"period": period.label, "agency": agency_code,
                                  "format": file_format, "detail": detail})
