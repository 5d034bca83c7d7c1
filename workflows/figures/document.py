"""The report as the Word document a secretary opens, edits, signs and sends (Decree
30/2020/NĐ-CP): A4, Times New Roman, the Decree's margins; the national heading and motto beside
the issuing body under its parent, the number and symbol, the place and date; the title; the
body drafted from the figures in the plans' structure (I. the situation, II. the results, III.
shortcomings and IV. direction left headed for the committee to write); "Nơi nhận" beside the
signer; then each table as "Phụ lục N". The audit-log checkpoint is one short line at the end
of the last appendix, never on the signature page.

Every number in a sentence is read from the same Figures as the tables (workflows.figures.
statistics), so the narrative and its appendices cannot disagree."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from workflows.figures.appendices import Table, appendices
from workflows.figures.crosstabs import CrossTables
from workflows.figures.formal import (
    DOCUMENT,
    MOTTO,
    NATION,
    NO_ROWS,
    POINTS,
    SUBJECT,
    draft_note,
    period_line,
    verification_line,
)
from workflows.figures.narrative import Paragraphs, narrative
from workflows.figures.statistics import PeriodReport
from workflows.figures.word import (
    BODY_SIZE,
    MARGINS_MM,
    a4,
    clear,
    font,
    no_borders,
    own_page_numbers,
    page_number_header,
    paragraph,
    repeat_header,
    short_rule,
    widths,
)
from workflows.i18n import formatting
from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.reference.agencies import Agency
from workflows.reference.reporting import period_span, period_title
from workflows.reference.reports import Issuer

HEADING_COLUMNS_MM = (62, 98)  # the issuer's, the nation's: together the 160 mm of text
APPENDIX_TEXT_MM = 297 - MARGINS_MM["left"] - MARGINS_MM["right"]  # landscape A4
NUMBER_COLUMN_MM = 14
PLACEHOLDER = N_("[To be written before signing.]")
# Decree 30: the date is the day of signing, written then; the number too.
UNDATED = N_("{place}, day …… month …… {year}")
APPENDIX_OF = N_("(Attached to Report No. ……/{suffix} of day …… month …… {year})")
HEADINGS = (
    N_("I. THE SITUATION"),
    N_("II. RESULTS"),
    N_("III. SHORTCOMINGS AND THEIR CAUSES"),
    N_("IV. DIRECTION AND TASKS FOR THE NEXT PERIOD"),
)


def _heading(document: object, issuer: Issuer, words: Translator, made_on: dt.date) -> None:
    table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = clear(table.cell(0, 0)), clear(table.cell(0, 1))
    if issuer.parent:
        paragraph(left, issuer.parent.upper(), 12)
    paragraph(left, issuer.name.upper(), 13, bold=True)
    short_rule(left)
    paragraph(right, words(NATION), 12.5, bold=True)
    paragraph(right, words(MOTTO), 14, bold=True)
    short_rule(right)
    paragraph(clear(table.cell(1, 0)), words(N_("No.: ……/{suffix}"),
                                               {"suffix": issuer.number_suffix}), 13)
    paragraph(clear(table.cell(1, 1)), words(UNDATED, {"place": issuer.place,
                                                         "year": made_on.year}).lstrip(", "),
               14, italic=True)
    widths(table, HEADING_COLUMNS_MM)


def _body(document: object, paragraphs: Paragraphs, words: Translator) -> None:
    for heading, texts in zip(HEADINGS, paragraphs, strict=True):
        paragraph(document, words(heading), BODY_SIZE, bold=True,
                   align=WD_ALIGN_PARAGRAPH.LEFT, after=6)
        for text in texts or [words(PLACEHOLDER)]:
            paragraph(document, text, BODY_SIZE, italic=not texts,
                       align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)


def _signature(document: object, issuer: Issuer, words: Translator) -> None:
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    no_borders(table)
    left, right = clear(table.cell(0, 0)), clear(table.cell(0, 1))
    paragraph(left, words(N_("Recipients:")), 12, bold=True, italic=True,
               align=WD_ALIGN_PARAGRAPH.LEFT)
    for number, recipient in enumerate(issuer.recipients, start=1):
        ending = "." if number == len(issuer.recipients) else ";"
        paragraph(left, f"- {recipient.rstrip(' .;')}{ending}", 11,
                   align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph(right, issuer.signer_title, 13, bold=True)
    for _ in range(4):  # room to sign and seal
        paragraph(right, "", 14)
    paragraph(right, issuer.signer_name, 14, bold=True)
    widths(table, (70, 90))


def _cell_text(value: object, kind: str, words: Translator, number: bool) -> str:
    """A cell as printed: a figure in the reader's grouping (đồng are said in the header), a
    dash for a figure there is none of (a share of no answers)."""
    if value is None:
        return "-" if number else ""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if kind == "vnd":
        return formatting.format_number(int(value), words.language)
    if kind == "pp":
        sign = "+" if value > 0 else ""
        return f"{sign}{formatting.format_number(value, words.language)} {words(POINTS)}"
    return formatting.format_number(value, words.language)


def _column_widths(table: Table) -> list[float]:
    """A narrow number column, the labels wide, the figures sharing the rest of the line."""
    labels = table.label_columns - 1
    numbers = len(table.headers) - table.label_columns
    label_width = 80 if numbers <= 4 else 55
    each = (APPENDIX_TEXT_MM - NUMBER_COLUMN_MM - label_width * labels) / max(numbers, 1)
    return [NUMBER_COLUMN_MM, *[label_width] * labels, *[each] * numbers]


def _grid(document: object, table: Table, words: Translator) -> None:
    grid = document.add_table(rows=1, cols=len(table.headers))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(grid, _column_widths(table))
    repeat_header(grid.rows[0])
    for cell, heading in zip(grid.rows[0].cells, table.headers, strict=True):
        paragraph(clear(cell), heading, 12, bold=True)
    if not table.rows:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        paragraph(clear(merged), table.empty or words(NO_ROWS), 12, italic=True)
        return
    for values, kinds in zip(table.rows, table.kinds, strict=True):
        cells = grid.add_row().cells
        for column, value in enumerate(values):
            number = column >= table.label_columns
            text = _cell_text(value, kinds[column - table.label_columns] if number else "n",
                              words, number)
            align = WD_ALIGN_PARAGRAPH.RIGHT if number else (
                WD_ALIGN_PARAGRAPH.CENTER if column == 0 else WD_ALIGN_PARAGRAPH.LEFT)
            paragraph(clear(cells[column]), text, 12, bold=values is table.total, align=align)


def _appendix(document: object, number: int, table: Table, report: PeriodReport,
              words: Translator, issuer: Issuer, made_on: dt.date) -> None:
    paragraph(document, words(N_("Appendix {number}"), {"number": number}), 14, bold=True)
    paragraph(document, table.title.upper(), 14, bold=True)
    paragraph(document, words(APPENDIX_OF, {"suffix": issuer.number_suffix,
                                             "year": made_on.year}), 13, italic=True)
    paragraph(document, f"{period_title(report.period, words)}: {period_span(report.period)}",
               13, italic=True, after=6)
    if draft := draft_note(report, made_on, words):
        paragraph(document, draft, 12, bold=True, italic=True, after=6)
    _grid(document, table, words)


def report_document(report: PeriodReport, tables: CrossTables, agencies: dict[str, Agency],
                    words: Translator, issuer: Issuer, made_on: dt.date, scope: str,
                    checkpoint: str) -> bytes:
    document = Document()
    font(document.styles["Normal"], BODY_SIZE)
    first = document.sections[0]
    a4(first)
    page_number_header(first)
    _heading(document, issuer, words, made_on)
    paragraph(document, "", 8)
    paragraph(document, words(DOCUMENT), 14, bold=True)
    paragraph(document, words(SUBJECT), 14, bold=True)
    paragraph(document, period_line(report, words), 14, italic=True)
    paragraph(document, words(N_("Scope: {scope}"), {"scope": scope}), 14, italic=True, after=12)
    if draft := draft_note(report, made_on, words):
        paragraph(document, draft, 13, bold=True, italic=True, after=6)
    # The same appendices, numbered alike, as the XLSX data file: its summary sheet's tables
    # are this document's narrative.
    attached: Sequence[Table] = appendices(report, tables, agencies, words)
    _body(document, narrative(report, agencies, words), words)
    paragraph(document, words(N_("Attached: {count} appendices of figures."),
                               {"count": len(attached)}), 14, italic=True,
               align=WD_ALIGN_PARAGRAPH.LEFT, after=12)
    _signature(document, issuer, words)
    for number, table in enumerate(attached, start=1):
        # Each appendix a section of its own: landscape, its pages counted from 1.
        section = document.add_section(WD_SECTION.NEW_PAGE)
        a4(section, landscape=True)
        own_page_numbers(section)
        _appendix(document, number, table, report, words, issuer, made_on)
    if checkpoint.strip():
        paragraph(document, "", 12)
        paragraph(document, verification_line(checkpoint, words), 10, italic=True,
                   align=WD_ALIGN_PARAGRAPH.LEFT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
