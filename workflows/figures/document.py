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
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

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
from workflows.i18n import formatting
from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.reference.agencies import Agency
from workflows.reference.reporting import period_span, period_title
from workflows.reference.reports import Issuer

FONT = "Times New Roman"
BODY_SIZE = 14
# Decree 30, Appendix I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 20}
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


def _font(run_or_style: object, size: float, bold: bool = False, italic: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    element = getattr(run_or_style, "element", None)
    properties = element.get_or_add_rPr() if element is not None and hasattr(
        element, "get_or_add_rPr") else None
    if properties is not None:  # Vietnamese text is drawn with the East Asian font slot too
        properties.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _paragraph(container: object, text: str = "", size: float = BODY_SIZE, bold: bool = False,
               italic: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
               indent: bool = False, after: float = 0) -> Paragraph:
    paragraph: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    run = paragraph.add_run()
    for number, line in enumerate(text.split("\n")):
        if number:
            run.add_break()
        run.add_text(line)
    _font(run, size, bold, italic)
    return paragraph


def _short_rule(cell: object) -> None:
    """The short line under the issuer and under the motto."""
    paragraph = _paragraph(cell, "", 6)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph.paragraph_format.left_indent = Mm(18)
    paragraph.paragraph_format.right_indent = Mm(18)
    paragraph._p.get_or_add_pPr().append(border)


def _no_borders(table: WordTable) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _widths(table: WordTable, millimetres: Sequence[float]) -> None:
    """Fixed column widths (Word and LibreOffice read the cells', python-docx the grid's)."""
    table.autofit = False
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _clear(cell: object) -> object:
    """A new table cell holds one empty paragraph: remove it, to add ours."""
    for paragraph in list(cell.paragraphs):  # type: ignore[attr-defined]
        paragraph._p.getparent().remove(paragraph._p)
    return cell


def _heading(document: object, issuer: Issuer, words: Translator, made_on: dt.date) -> None:
    table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = _clear(table.cell(0, 0)), _clear(table.cell(0, 1))
    if issuer.parent:
        _paragraph(left, issuer.parent.upper(), 12)
    _paragraph(left, issuer.name.upper(), 13, bold=True)
    _short_rule(left)
    _paragraph(right, words(NATION), 12.5, bold=True)
    _paragraph(right, words(MOTTO), 14, bold=True)
    _short_rule(right)
    _paragraph(_clear(table.cell(1, 0)), words(N_("No.: ……/{suffix}"),
                                               {"suffix": issuer.number_suffix}), 13)
    _paragraph(_clear(table.cell(1, 1)), words(UNDATED, {"place": issuer.place,
                                                         "year": made_on.year}).lstrip(", "),
               14, italic=True)
    _widths(table, HEADING_COLUMNS_MM)


def _page_number_header(section: object) -> None:
    """Decree 30: the page number at the top, centred, from the second page."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _a4(section: object, landscape: bool = False) -> None:
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    section.page_width, section.page_height = width, height  # type: ignore[attr-defined]
    for side, millimetres in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(millimetres))


def _body(document: object, paragraphs: Paragraphs, words: Translator) -> None:
    for heading, texts in zip(HEADINGS, paragraphs, strict=True):
        _paragraph(document, words(heading), BODY_SIZE, bold=True,
                   align=WD_ALIGN_PARAGRAPH.LEFT, after=6)
        for text in texts or [words(PLACEHOLDER)]:
            _paragraph(document, text, BODY_SIZE, italic=not texts,
                       align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)


def _signature(document: object, issuer: Issuer, words: Translator) -> None:
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _no_borders(table)
    left, right = _clear(table.cell(0, 0)), _clear(table.cell(0, 1))
    _paragraph(left, words(N_("Recipients:")), 12, bold=True, italic=True,
               align=WD_ALIGN_PARAGRAPH.LEFT)
    for number, recipient in enumerate(issuer.recipients, start=1):
        ending = "." if number == len(issuer.recipients) else ";"
        _paragraph(left, f"- {recipient.rstrip(' .;')}{ending}", 11,
                   align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph(right, issuer.signer_title, 13, bold=True)
    for _ in range(4):  # room to sign and seal
        _paragraph(right, "", 14)
    _paragraph(right, issuer.signer_name, 14, bold=True)
    _widths(table, (70, 90))


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


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _grid(document: object, table: Table, words: Translator) -> None:
    grid = document.add_table(rows=1, cols=len(table.headers))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(grid, _column_widths(table))
    _repeat_header(grid.rows[0])
    for cell, heading in zip(grid.rows[0].cells, table.headers, strict=True):
        _paragraph(_clear(cell), heading, 12, bold=True)
    if not table.rows:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _paragraph(_clear(merged), table.empty or words(NO_ROWS), 12, italic=True)
        return
    for values, kinds in zip(table.rows, table.kinds, strict=True):
        cells = grid.add_row().cells
        for column, value in enumerate(values):
            number = column >= table.label_columns
            text = _cell_text(value, kinds[column - table.label_columns] if number else "n",
                              words, number)
            align = WD_ALIGN_PARAGRAPH.RIGHT if number else (
                WD_ALIGN_PARAGRAPH.CENTER if column == 0 else WD_ALIGN_PARAGRAPH.LEFT)
            _paragraph(_clear(cells[column]), text, 12, bold=values is table.total, align=align)


def _own_page_numbers(section: object) -> None:
    """An appendix counts its pages from 1 (Decree 30), its first page unnumbered."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    properties = section._sectPr  # type: ignore[attr-defined]
    for copied in properties.findall(qn("w:pgNumType")):  # the section before's, copied
        properties.remove(copied)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    properties.find(qn("w:pgMar")).addnext(numbering)


def _appendix(document: object, number: int, table: Table, report: PeriodReport,
              words: Translator, issuer: Issuer, made_on: dt.date) -> None:
    _paragraph(document, words(N_("Appendix {number}"), {"number": number}), 14, bold=True)
    _paragraph(document, table.title.upper(), 14, bold=True)
    _paragraph(document, words(APPENDIX_OF, {"suffix": issuer.number_suffix,
                                             "year": made_on.year}), 13, italic=True)
    _paragraph(document, f"{period_title(report.period, words)}: {period_span(report.period)}",
               13, italic=True, after=6)
    if draft := draft_note(report, made_on, words):
        _paragraph(document, draft, 12, bold=True, italic=True, after=6)
    _grid(document, table, words)


def report_document(report: PeriodReport, tables: CrossTables, agencies: dict[str, Agency],
                    words: Translator, issuer: Issuer, made_on: dt.date, scope: str,
                    checkpoint: str) -> bytes:
    document = Document()
    _font(document.styles["Normal"], BODY_SIZE)
    first = document.sections[0]
    _a4(first)
    _page_number_header(first)
    _heading(document, issuer, words, made_on)
    _paragraph(document, "", 8)
    _paragraph(document, words(DOCUMENT), 14, bold=True)
    _paragraph(document, words(SUBJECT), 14, bold=True)
    _paragraph(document, period_line(report, words), 14, italic=True)
    _paragraph(document, words(N_("Scope: {scope}"), {"scope": scope}), 14, italic=True, after=12)
    if draft := draft_note(report, made_on, words):
        _paragraph(document, draft, 13, bold=True, italic=True, after=6)
    # The same appendices, numbered alike, as the XLSX data file: its summary sheet's tables
    # are this document's narrative.
    attached: Sequence[Table] = appendices(report, tables, agencies, words)
    _body(document, narrative(report, agencies, words), words)
    _paragraph(document, words(N_("Attached: {count} appendices of figures."),
                               {"count": len(attached)}), 14, italic=True,
               align=WD_ALIGN_PARAGRAPH.LEFT, after=12)
    _signature(document, issuer, words)
    for number, table in enumerate(attached, start=1):
        # Each appendix a section of its own: landscape, its pages counted from 1.
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _a4(section, landscape=True)
        _own_page_numbers(section)
        _appendix(document, number, table, report, words, issuer, made_on)
    if checkpoint.strip():
        _paragraph(document, "", 12)
        _paragraph(document, verification_line(checkpoint, words), 10, italic=True,
                   align=WD_ALIGN_PARAGRAPH.LEFT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
