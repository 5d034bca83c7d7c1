"""The report as a Vietnamese administrative document (the layout of Decree 30/2020/NĐ-CP): the
national heading and motto, the issuing body and the one above it, the number and the place and
date, the title and period, the figures, "Nơi nhận" and the signature block; then each table as
"Phụ lục N". Every sheet prints on A4, one page wide, its header row repeated on each page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workflows.figures.appendices import Table, appendices, summary_tables
from workflows.figures.crosstabs import CrossTables
from workflows.figures.neutral import neutralise, sheet_cell
from workflows.figures.sheet_styles import GRID, aligned, style, typeface
from workflows.figures.statistics import PeriodReport
from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.reference.agencies import Agency
from workflows.reference.reporting import period_span, period_title
from workflows.reference.reports import Issuer

NATION = N_("SOCIALIST REPUBLIC OF VIETNAM")
MOTTO = N_("Independence - Freedom - Happiness")
DOCUMENT = N_("REPORT")
SUBJECT = N_("On receiving and handling citizens' reports of counterfeit, imitation, smuggled and "
             "substandard goods")
# Separators are the reader's: Excel and LibreOffice show #,##0 as 1.234.567 in Vietnamese.
NUMBER_FORMATS = {"n": "#,##0", "n.0": "#,##0.0", "vnd": '#,##0 "₫"', "%": "0.0"}
POINTS = N_("pp")  # percentage points: the change of a share
ATTACHED = N_("(Attached to Report No. ……/{suffix} of {date}: {period}, {span})")
DRAFT = N_("DRAFT: figures up to {today}; the period ends on {last}, and the previous period "
           "is counted in full.")
NO_ROWS = N_("No figures in the period.")
VERIFY = N_("Data verification: audit log checkpoint of {size} entries, hash {short}…; "
            "check it at {where}.")


def _put(sheet: Worksheet, row: int, first: int, last: int, text: object, font: Font,
         horizontal: str = "center", height: float | None = None) -> None:
    """A text across columns first..last of a row."""
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    style(sheet_cell(sheet, row, first, text), font, aligned(horizontal, "center", wrap_text=True))
    if height:
        sheet.row_dimensions[row].height = height


def _print_setup(sheet: Worksheet, columns: int, header_row: int | None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if columns > 5 else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.6
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    # Decree 30: the page number at the top, centred, from the second page.
    sheet.oddHeader.center.text = "&P"
    sheet.HeaderFooter.differentFirst = True


def date_text(made_on: dt.date, words: Translator) -> str:
    """Decree 30's date: a 0 before days under 10 and before months 1 and 2 only."""
    month = f"{made_on.month:02d}" if made_on.month < 3 else str(made_on.month)
    return words(N_("{day}/{month}/{year}"),  # Vietnamese: ngày … tháng … năm …
                 {"day": f"{made_on.day:02d}", "month": month, "year": made_on.year})


def draft_note(report: PeriodReport, made_on: dt.date, words: Translator) -> str | None:
    """Said on every sheet of a report made before its period ended: figures so far."""
    if made_on > report.period.last_day:
        return None
    return words(DRAFT, {"today": f"{made_on:%d/%m/%Y}",
                         "last": f"{report.period.last_day:%d/%m/%Y}"})


def _width(value: object, kind: str) -> int:
    """Characters a number takes as printed (grouped, with its unit): a column narrower than
    its widest value prints ###."""
    if not isinstance(value, int | float):
        return 0
    text = f"{value:+,.1f}" if kind in ("pp", "n.0", "%") or isinstance(value, float) \
        else f"{value:,}"
    return len(text) + (2 if kind == "vnd" else 0) + (4 if kind == "pp" else 0)


def _number_widths(table: Table) -> list[int]:
    """The widest printed value of each number column of a table."""
    widths = [0] * (len(table.headers) - table.label_columns)
    for values, kinds in zip(table.rows, table.kinds, strict=True):
        for index, (value, kind) in enumerate(zip(values[table.label_columns:], kinds,
                                                  strict=True)):
            widths[index] = max(widths[index], _width(value, kind))
    return widths


def _number_format(kind: str, value: object, words: Translator) -> str:
    if kind == "pp":
        unit = words(POINTS).replace('"', "")
        return f'+0.0" {unit}";-0.0" {unit}";0.0" {unit}"'
    if kind == "n" and isinstance(value, float) and not value.is_integer():
        return NUMBER_FORMATS["n.0"]  # a median of days; counts have no decimals to show
    return NUMBER_FORMATS[kind]


def _table(sheet: Worksheet, row: int, table: Table, words: Translator) -> int:
    """The table from `row`, with a grid; the row after it."""
    for column, heading in enumerate(table.headers, start=1):
        style(sheet_cell(sheet, row, column, neutralise(heading)), typeface(11, bold=True),
               aligned("center", "center", wrap_text=True), GRID)
    # Room for an agency's name in a narrow column of a cross-table: three lines.
    sheet.row_dimensions[row].height = 48 if len(table.headers) > 5 else 32
    if not table.rows:
        _put(sheet, row + 1, 1, len(table.headers), table.empty or words(NO_ROWS),
             typeface(11, italic=True))
        return row + 2
    for values, kinds in zip(table.rows, table.kinds, strict=True):
        row += 1
        for column, value in enumerate(values, start=1):
            cell = sheet_cell(sheet, row, column, neutralise(value))
            face = typeface(11, bold=values is table.total)
            if column > table.label_columns:
                style(cell, face, aligned("right"), GRID, _number_format(
                    kinds[column - table.label_columns - 1], value, words))
            else:
                style(cell, face, aligned("center" if column == 1 else "left", "top",
                                          wrap_text=True), GRID)
    return row + 1


def _heading(sheet: Worksheet, issuer: Issuer, words: Translator, made_on: dt.date) -> None:
    """The national heading, the issuer, the number and the place and date (rows 1-3)."""
    _put(sheet, 1, 1, 2, issuer.parent.upper(), typeface(12))
    _put(sheet, 1, 3, 5, words(NATION), typeface(12, bold=True))
    # The short rule under the issuer and under the motto: the text underlined, as a
    # spreadsheet draws it.
    _put(sheet, 2, 1, 2, issuer.name.upper(), typeface(12, bold=True, underline=True))
    _put(sheet, 2, 3, 5, words(MOTTO), typeface(13, bold=True, underline=True))
    _put(sheet, 3, 1, 2, words(N_("No.: ……/{suffix}"), {"suffix": issuer.number_suffix}),
         typeface(12))
    where = f"{issuer.place}, " if issuer.place else ""
    _put(sheet, 3, 3, 5, where + date_text(made_on, words), typeface(12, italic=True))


def _signature(sheet: Worksheet, row: int, issuer: Issuer, words: Translator,
               appendix_titles: Sequence[str]) -> int:
    _put(sheet, row, 1, 5, words(N_("Attached appendices:")), typeface(12, bold=True), "left")
    for title in appendix_titles:
        row += 1
        _put(sheet, row, 1, 5, f"- {title}", typeface(11), "left")
    row += 2
    start = row
    _put(sheet, row, 1, 2, words(N_("Recipients:")), typeface(11, bold=True, italic=True), "left")
    for number, recipient in enumerate(issuer.recipients, start=1):
        row += 1
        # Each line ends with ";", the last (the archive) with ".".
        ending = "." if number == len(issuer.recipients) else ";"
        _put(sheet, row, 1, 2, f"- {recipient.rstrip(' .;')}{ending}", typeface(10), "left")
    title_lines = issuer.signer_title.count("\n") + 1
    _put(sheet, start, 3, 5, issuer.signer_title, typeface(12, bold=True), height=16 * title_lines)
    # Room to sign and seal, then the signer's name.
    _put(sheet, start + 5, 3, 5, issuer.signer_name, typeface(12, bold=True))
    return max(row, start + 5) + 2


def _main_sheet(sheet: Worksheet, report: PeriodReport, issuer: Issuer, words: Translator,
                made_on: dt.date, scope: str, appendix_titles: Sequence[str],
                agencies: dict[str, Agency]) -> None:
    _heading(sheet, issuer, words, made_on)
    _put(sheet, 5, 1, 5, words(DOCUMENT), typeface(14, bold=True), height=22)
    _put(sheet, 6, 1, 5, words(SUBJECT), typeface(13, bold=True), height=36)
    _put(sheet, 7, 1, 5, period_line(report, words), typeface(12, italic=True))
    _put(sheet, 8, 1, 5, words(N_("Scope: {scope}"), {"scope": scope}), typeface(12, italic=True))
    if draft := draft_note(report, made_on, words):
        _put(sheet, 9, 1, 5, draft, typeface(11, bold=True, italic=True), height=30)
    row, widest = 10, [0, 0, 0]
    for part, table in enumerate(summary_tables(report, agencies, words), start=1):
        widest = [max(pair) for pair in zip(widest, _number_widths(table), strict=True)]
        _put(sheet, row, 1, 5, f"{'I' * part if part < 4 else part}. {table.title}",
             typeface(12, bold=True), "left")
        row = _table(sheet, row + 1, table, words) + 1
    _signature(sheet, row, issuer, words, appendix_titles)
    for column, width in zip("ABCDE", (7, 44, 17, 17, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for column, characters in zip("CDE", widest, strict=True):
        sheet.column_dimensions[column].width = max(sheet.column_dimensions[column].width,
                                                    characters * 1.15 + 2)
    # No repeated header row: the summary's tables are short, and one table's header on the
    # page of the signature would read as a table with no rows.
    _print_setup(sheet, 5, None)


def period_line(report: PeriodReport, words: Translator) -> str:
    """Under the title: the period by its name and days; a named report ("Báo cáo năm 2026")
    by its days only, its name being the document's own."""
    if report.period.kind == "report":
        return words(N_("Reporting period: from {first} to {last}"), {
            "first": f"{report.period.first_day:%d/%m/%Y}",
            "last": f"{report.period.last_day:%d/%m/%Y}"})
    return f"{period_title(report.period, words)} ({period_span(report.period)})"


def _appendix(sheet: Worksheet, number: int, table: Table, report: PeriodReport,
              words: Translator, issuer: Issuer, made_on: dt.date) -> int:
    """The appendix's sheet; the row after its table."""
    columns = len(table.headers)
    last = max(columns, 2)
    _put(sheet, 1, 1, last, words(N_("Appendix {number}"), {"number": number}),
         typeface(12, bold=True), height=18)
    _put(sheet, 2, 1, last, table.title.upper(), typeface(12, bold=True), height=32)
    _put(sheet, 3, 1, last, words(ATTACHED, {
        "suffix": issuer.number_suffix, "date": date_text(made_on, words),
        "period": period_title(report.period, words), "span": period_span(report.period)}),
         typeface(11, italic=True), height=30)
    if draft := draft_note(report, made_on, words):
        _put(sheet, 4, 1, last, draft, typeface(10, bold=True, italic=True), height=28)
    after = _table(sheet, 5, table, words)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 36 if columns > 5 else 46
    narrow = 12 if columns > 5 else 17
    for column, widest in enumerate(_number_widths(table), start=table.label_columns + 1):
        # A little over the widest value (bold totals print wider than the other rows).
        sheet.column_dimensions[get_column_letter(column)].width = max(narrow, widest * 1.15 + 2)
    _print_setup(sheet, columns, 5)
    return after


def verification_line(checkpoint: str, words: Translator) -> str:
    """The checkpoint in one line: the log's size, the start of its hash, where to check it."""
    lines = checkpoint.strip().splitlines()
    if len(lines) < 3:
        return words(N_("Data verification: no audit log checkpoint had been signed yet."))
    origin, size, root = lines[0], lines[1], lines[2]
    host = origin.split("/", 1)[0]
    return words(VERIFY, {"size": size, "short": root[:12], "where": f"{host}/audit/key"})


def formal_workbook(report: PeriodReport, tables: CrossTables, agencies: dict[str, Agency],
                    words: Translator, issuer: Issuer, made_on: dt.date, scope: str,
                    checkpoint: str) -> bytes:
    workbook = Workbook()
    attached = appendices(report, tables, agencies, words)
    titles = [words(N_("Appendix {number}: {title}"), {"number": number, "title": table.title})
              for number, table in enumerate(attached, start=1)]
    main = workbook.active
    assert main is not None
    main.title = words(N_("The report"))[:31]
    _main_sheet(main, report, issuer, words, made_on, scope, titles, agencies)
    for number, table in enumerate(attached, start=1):
        sheet = workbook.create_sheet(words(N_("Appendix {number}"), {"number": number})[:31])
        after = _appendix(sheet, number, table, report, words, issuer, made_on)
    # The checkpoint under the last table, never beside the signature: one line a reader
    # follows, then the signed note itself, which a verifier checks against the log's key.
    width = max(len(table.headers), 2)
    _put(sheet, after + 1, 1, width, verification_line(checkpoint, words), typeface(9, italic=True),
         "left", height=26)
    if checkpoint:
        _put(sheet, after + 2, 1, width, checkpoint, Font(name="Courier New", size=7), "left",
             height=10 * (checkpoint.count("\n") + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
