"""The downloads opened as an analyst opens them: LibreOffice reads the line list and the
statistics CSV with a comma, a semicolon or a tab as the separator (whatever the file says,
people pick one in the import dialog), and finds no formula and no link in any cell, whatever a
citizen typed as a brand, a shop or a product. The formal XLSX holds every text as text.

LibreOffice from Debian (libreoffice-calc-nogui) does the reading (the `spreadsheet` fixture of
conftest.py)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from tests.helpers import VALID_REPORT, post_report
from tests.intake.conftest import sign_in
from workflows.audit.log import Actor
from workflows.cases.draft import ReportDraft
from workflows.cases.filing import record_report
from workflows.figures.neutral import neutralise

# What a tester typed as a brand, a shop and a product: a separator then a formula, a link,
# quotes that end the field early, signs and @ that start one.
THROUGH_THE_FORM = ['x;=2+3;', '=HYPERLINK("http://evil","x")', '"a";=1+1', '-2+3',
                    '@SUM(1)', 'Shop "Tốt", =1+1', 'a"";=1+1', '#REF!']
# The form refuses control characters in one-line fields, but data imported or filed before
# that rule may hold them: filed past the form's checks.
PAST_THE_FORM = ['x\t=1+1', 'dòng một\n=1+1', 'a\r\n@SUM(2)']
SEPARATORS = {"comma": 44, "semicolon": 59, "tab": 9}
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@pytest.fixture
async def hostile_cases(app, client):
    """One case for each value, as its brand, shop name and product name."""
    for value in THROUGH_THE_FORM:
        filed = await post_report(client, {**VALID_REPORT, "brand": value, "shop_name": value,
                                           "product_name": value})
        assert filed.status_code == 303, value
    context = app.state.intake
    for value in PAST_THE_FORM:
        draft = ReportDraft({"category": "counterfeit", "product_name": value, "brand": value,
                             "shop_name": value, "product_group": "food",
                             "sales_channel": "market", "commune": VALID_REPORT["commune"],
                             "description": "Nhãn mờ, không có tem."})
        await record_report(draft, [], context.reference, context.settings.secret_key,
                            Actor("import", "test"), context.events)
    return THROUGH_THE_FORM + PAST_THE_FORM


def opened(program: str, files: list[Path], separator: int, out: Path) -> list[Path]:
    """Each CSV as LibreOffice opens it (UTF-8, '"' around text), saved as flat XML."""
    subprocess.run([program, f"-env:UserInstallation={(out.parent / 'profile').as_uri()}",
                    "--headless", "--norestore", f"--infilter=CSV:{separator},34,76,1",
                    "--convert-to", "fods", "--outdir", str(out), *map(str, files)],
                   capture_output=True, timeout=180, check=True)
    return [out / f"{file.stem}.fods" for file in files]


def cells(sheet: Path) -> list[ElementTree.Element]:
    """Every cell, those that flat XML writes once for a run of equal neighbours repeated."""
    return [cell for cell in ElementTree.parse(sheet).getroot().iter(f"{TABLE}table-cell")
            for _ in range(min(int(cell.get(f"{TABLE}number-columns-repeated", "1")), 50))]


def cell_text(cell: ElementTree.Element) -> str:
    return "\n".join("".join(part.itertext()) for part in cell.iter(f"{TEXT}p"))


async def test_no_separator_turns_a_typed_value_into_a_formula_or_a_link(
        client, accounts, hostile_cases, spreadsheet, tmp_path: Path):
    await sign_in(client, "analyst")
    month = dt.date.today().strftime("%Y-%m")
    downloads = {"line-list": {"format": "csv", "detail": "1"}, "statistics": {"format": "csv"}}
    files = []
    for name, params in downloads.items():
        answer = await client.get("/staff/stats/export", params={"period": month, **params})
        assert answer.status_code == 200, name
        files.append(tmp_path / f"{name}.csv")
        files[-1].write_bytes(answer.content)
    read = {separator: opened(spreadsheet, files, number, tmp_path / separator)
            for separator, number in SEPARATORS.items()}
    for separator, sheets in read.items():
        for sheet in sheets:
            found = cells(sheet)
            formulas = [cell.get(f"{TABLE}formula") for cell in found
                        if cell.get(f"{TABLE}formula")]
            links = [cell_text(cell) for cell in found if cell.find(f".//{TEXT}a") is not None]
            assert (formulas, links) == ([], []), (sheet.name, separator)
    # Read with the file's own separator, each value is one cell (brand, shop and product of
    # its case), whole, marked as text.
    line_list = [cell_text(cell) for cell in cells(read["comma"][0])]
    for value in hostile_cases:
        shown = str(neutralise(value)).replace("\r\n", "\n").replace("\t", "")
        assert line_list.count(shown) == 3, (value, shown)


async def test_the_formal_workbook_holds_every_text_as_text(client, accounts, hostile_cases):
    await sign_in(client, "analyst")
    answer = await client.get("/staff/stats/export", params={
        "period": dt.date.today().strftime("%Y-%m"), "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    texts = [cell for sheet in book for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)]
    assert {cell.data_type for cell in texts} == {"s"}  # no formula ("f"), no error ("e")
    # The ten brands and products reported most, each as typed, marked where a cell starts.
    shown = {cell.value for cell in texts} & {neutralise(value) for value in hostile_cases}
    assert len(shown) >= 10 and {"#REF!", "'=HYPERLINK(\"http://evil\",\"x\")"} <= shown
