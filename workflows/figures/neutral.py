"""What a spreadsheet must not take for a formula (OWASP's CSV injection advice): every field of
a CSV is quoted, and a text cell starting with =, +, -, @, a tab or a carriage return is
written with a leading apostrophe, as are such characters where a cell could start inside the
text — after a comma, a semicolon, a tab, a quote or a line break.

Why inside too: the reader picks the separator when opening a CSV, not the file. LibreOffice
opening our comma-separated file with ";" or a tab reads a line whose quotes no longer pair up
as plain text, so a line break inside a value starts a new row and a quote or separator inside
it a new cell: "dòng một\\n=1+1" became a formula there, however well quoted."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# Where a cell may begin, whichever separator the reader chose, followed by a formula start.
_CELL_START = re.compile(r"(?:^|(?<=[,;\t\r\n\"]))(?=[=+\-@\t\r])")
_FORMULA_STARTS = frozenset("=+-@\t\r")  # text without any of them has nothing to change


def neutralise(value: object) -> object:
    """The value as a spreadsheet may show it: text with an apostrophe wherever a cell could
    start with a formula; anything else as it is."""
    if isinstance(value, str) and not _FORMULA_STARTS.isdisjoint(value):
        return _CELL_START.sub("'", value)
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV: every field quoted, every cell neutralised, None as an empty field."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(
        ["" if value is None else neutralise(value) for value in row] for row in rows)
    return buffer.getvalue()


def sheet_cell(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """A workbook cell holding `value` as what it is: a text stays text, never a formula or an
    error code (openpyxl stores "=…" as a formula and "#REF!" as an error unless told)."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
