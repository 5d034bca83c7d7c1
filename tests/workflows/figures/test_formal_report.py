"""The plans' 6-month and yearly reports of a seeded year, as the province sends them: their
windows, their Vietnamese labels, every cross-table against the cases themselves, and each
sheet as LibreOffice prints it (A4, one page wide). LibreOffice and poppler-utils (pdftotext)
from Debian do the printing; without them these tests are skipped, loudly; with CI=true set,
they fail instead."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import IN_CI
from workflows.cases.demo import DemoOptions, insert_demo_cases
from workflows.cases.models import Case
from workflows.figures import files, pdf
from workflows.figures.frozen import forget_frozen_months
from workflows.i18n.formatting import VIETNAM
from workflows.reference import catalog

NO_LIBREOFFICE = ("NO LIBREOFFICE OR PDFTOTEXT: install libreoffice-calc-nogui and poppler-utils "
                  "to check how the formal report prints")
SEEDED_NOW = dt.datetime(2026, 11, 20, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def printer() -> None:
    if pdf.soffice() is None or shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail(f"{NO_LIBREOFFICE} (CI=true: nothing may be skipped)")
        pytest.skip(NO_LIBREOFFICE)


@pytest.fixture
async def seeded(app) -> None:
    await insert_demo_cases(app.state.intake.reference, DemoOptions(1500, seed=7,
                                                                     now=SEEDED_NOW))


async def cases_in(first: dt.date, last: dt.date, field: str = "created_at") -> list[Case]:
    # In UTC, as stored: SQLite compares the text.
    start = dt.datetime.combine(first, dt.time(), VIETNAM).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), VIETNAM).astimezone(dt.UTC)
    return await Case.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def sheet_titled(book: openpyxl.Workbook, title: str):
    return next(sheet for sheet in book if sheet["A2"].value == title.upper())


def table(sheet, header_row: int = 5) -> dict[str, dict[str, object]]:
    """Each row of an appendix's table by its label (column B), by header."""
    headers = [cell.value for cell in sheet[header_row]]
    found = {}
    for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if row[1] is not None:
            found[str(row[1])] = dict(zip(headers, row, strict=False))
    return found


@pytest.mark.parametrize(("code", "first", "last", "title"), [
    ("bao-cao-6-thang", dt.date(2025, 12, 15), dt.date(2026, 6, 14),
     "Kỳ báo cáo: từ ngày 15/12/2025 đến ngày 14/06/2026"),
    ("bao-cao-nam", dt.date(2025, 12, 15), dt.date(2026, 11, 14),
     "Kỳ báo cáo: từ ngày 15/12/2025 đến ngày 14/11/2026"),
])
async def test_the_plans_reports_hold_their_window_and_every_cross_table_adds_up(
        app, seeded, code, first, last, title):
    reference = app.state.intake.reference
    words = reference.translator("vi")
    period = reference.calendar.named(code, 2026)
    assert (period.first_day, period.last_day) == (first, last)
    book = openpyxl.load_workbook(io.BytesIO(await files.report_file(
        period, None, reference, words, "xlsx", dt.date(2026, 11, 20), "checkpoint")))
    report = book["Báo cáo"]
    assert report["A7"].value == title
    assert [report["A1"].value, report["C1"].value, report["C2"].value] == [
        "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc"]
    assert book.sheetnames[1:3] == ["Phụ lục 1", "Phụ lục 2"]
    assert report["A9"].value is None  # made after the period ended: no draft mark
    texts = [cell.value for cell in report["A"] if isinstance(cell.value, str)]
    recipients = texts[texts.index("Nơi nhận:") + 1:][:len(reference.calendar.issuer.recipients)]
    assert all(line.startswith("- ") and line.endswith(";") for line in recipients[:-1])
    assert recipients[-1] == "- Lưu: VT."
    assert book["Phụ lục 1"]["A3"].value.startswith(
        "(Kèm theo Báo cáo số ……/BC-BCĐ389 ngày 20 tháng 11 năm 2026 — ")
    received = await cases_in(first, last)
    resolved = await cases_in(first, last, "resolved_at")
    agency_names = {code: words.gettext(agency.label) for code, agency in
                    reference.agencies.items()}
    triage = "Chưa giao cơ quan (chờ phân loại)"

    by_agency = table(sheet_titled(book, "Phản ánh tiếp nhận theo loại phản ánh và cơ quan xử lý"))
    counted = Counter((case.category, case.agency_code or "") for case in received)
    for term in catalog.CATEGORIES:
        row = by_agency[words.gettext(term.label)]
        for agency_code, name in agency_names.items():
            assert row[name] == counted[(term.code, agency_code)], (term.code, agency_code)
        assert row.get(triage, 0) == counted[(term.code, "")]
        assert row["Tổng cộng"] == sum(n for (c, _), n in counted.items() if c == term.code)
    assert by_agency["Tổng cộng"]["Tổng cộng"] == len(received)
    assert triage not in table(sheet_titled(book, "Theo cơ quan xử lý")) or \
        list(table(sheet_titled(book, "Theo cơ quan xử lý")))[-1] == triage  # last, apart

    by_commune = table(sheet_titled(book, "Phản ánh tiếp nhận theo xã, phường và loại phản ánh"))
    counted_commune = Counter((case.commune, case.category) for case in received)
    for (commune, category), count in counted_commune.items():
        label = words.label(catalog.CATEGORIES, category)
        assert by_commune[commune or "(không ghi)"][label] == count
    assert by_commune["Tổng cộng"]["Tổng cộng"] == len(received)

    done = table(sheet_titled(book, "Kết quả xử lý theo cơ quan"))
    # Only an agency resolves a case (the demo data too).
    assert done.get(triage, {}).get("Đã giải quyết", 0) == 0
    for agency_code, name in agency_names.items():
        mine = [case for case in resolved if case.agency_code == agency_code]
        assert done[name]["Đã giải quyết"] == len(mine)
        assert done[name]["Xác định có vi phạm"] == sum(
            case.outcome == "violation_confirmed" for case in mine)
        assert done[name]["Tiền phạt (đồng)"] == sum(case.fine_vnd or 0 for case in mine)
        assert done[name]["Trị giá hàng tạm giữ, tịch thu (đồng)"] == sum(
            case.seized_value_vnd or 0 for case in mine)
    by_category = table(sheet_titled(book, "Kết quả xử lý theo loại phản ánh"))
    assert by_category["Tổng cộng"]["Đã giải quyết"] == len(resolved)
    assert by_category["Tổng cộng"]["Tiền phạt (đồng)"] == sum(c.fine_vnd or 0 for c in resolved)


def pdf_pages(printed: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    return [subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout",
                            str(printed), "-"], capture_output=True, text=True,
                           check=True).stdout for page in range(1, pages + 1)]


@pytest.mark.parametrize("code", ["bao-cao-6-thang", "bao-cao-nam"])
async def test_each_sheet_prints_on_a4_one_page_wide(app, seeded, printer, tmp_path: Path,
                                                     code: str):
    reference = app.state.intake.reference
    words = reference.translator("vi")
    period = reference.calendar.named(code, 2026)
    # A province's year of fines runs into hundreds of billions of đồng: the money columns
    # must hold them (and their totals, in bold) or LibreOffice prints ###.
    resolved = await cases_in(period.first_day, period.last_day, "resolved_at")
    for case in resolved[:40]:
        case.fine_vnd, case.seized_value_vnd = 9_876_543_210, 12_345_678_901
        await case.save(update_fields=["fine_vnd", "seized_value_vnd"])
    await forget_frozen_months()  # written into the table, not as corrections: count again
    workbook = await files.report_file(period, None, reference, words, "xlsx",
                                       dt.date(2026, 11, 20), "checkpoint")
    printed = tmp_path / f"{code}.pdf"
    printed.write_bytes(pdf.from_xlsx(workbook, "vi"))
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True,
                          check=True).stdout
    pages = pdf_pages(printed)
    sheets = len(openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames)
    assert sheets <= len(pages) <= sheets + 3  # a long sheet may take a second page down
    first_appendix = next(number for number, text in enumerate(pages)
                          if re.search(r"^\s*Phụ lục 1\s*$", text, re.MULTILINE))
    assert first_appendix <= 2  # the report itself: at most two pages
    for number, text in enumerate(pages[first_appendix:], start=first_appendix + 1):
        # Every appendix page carries its table's header row (the print titles), from its
        # first column: a page of columns spilled from the one before would not start with STT.
        assert "STT" in text, f"page {number} spilled:\n{text[:500]}"
    for number, text in enumerate(pages, start=1):
        assert "###" not in text, f"page {number} has a column too narrow:\n{text}"
    # Vietnamese grouping, whatever the server's locale: 1.234.567 ₫, never 1,234,567.
    fines = sum(case.fine_vnd or 0 for case in resolved)
    assert f"{fines:,} ₫".replace(",", ".") in "".join(pages)
    assert not re.search(r"\d,\d{3}\b", "".join(pages[first_appendix:]))
    assert "ngày 20 tháng 11 năm 2026" in pages[0]
    sizes = {line.split(":", 1)[1].strip() for line in info.splitlines()
             if line.startswith("Page size")}
    assert all("(A4)" in size for size in sizes)
    if (folder := os.environ.get("INTAKE_SCREENSHOT_DIR")) and code == "bao-cao-nam":
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                        str(printed), str(Path(folder) / "report-page")], check=True)


async def test_an_agency_gone_from_the_list_still_counts_in_every_total(app, seeded):
    """After a merger an old agency code stays on its cases: its column keeps them, marked,
    and a category no longer in the catalogue keeps its row, so every total adds up."""
    reference = app.state.intake.reference
    words = reference.translator("vi")
    period = reference.calendar.named("bao-cao-nam", 2026)
    received = await cases_in(period.first_day, period.last_day)
    retired = [case for case in received if case.agency_code][:30]
    for case in retired:
        case.agency_code = "cu"
        await case.save(update_fields=["agency_code"])
    await Case.filter(id=received[-1].id).update(category="hang-cu")
    await forget_frozen_months()  # written into the table, not as corrections: count again
    book = openpyxl.load_workbook(io.BytesIO(await files.report_file(
        period, None, reference, words, "xlsx", dt.date(2026, 11, 20), "checkpoint")))
    by_agency = table(sheet_titled(book, "Phản ánh tiếp nhận theo loại phản ánh và cơ quan xử lý"))
    assert by_agency["Tổng cộng"]["cu (không còn trong danh mục)"] == len(retired)
    assert by_agency["Tổng cộng"]["Tổng cộng"] == len(received)
    assert by_agency["hang-cu (không còn trong danh mục)"]["Tổng cộng"] == 1
    by_commune = table(sheet_titled(book, "Phản ánh tiếp nhận theo xã, phường và loại phản ánh"))
    assert by_commune["Tổng cộng"]["Tổng cộng"] == len(received)
    done = table(sheet_titled(book, "Kết quả xử lý theo cơ quan"))
    rows = [row for label, row in done.items() if label != "Tổng cộng"]
    assert sum(row["Đã giải quyết"] for row in rows) == done["Tổng cộng"]["Đã giải quyết"]
    assert sum(row["Tiền phạt (đồng)"] for row in rows) == done["Tổng cộng"]["Tiền phạt (đồng)"]
    assert "cu (không còn trong danh mục)" in table(sheet_titled(book, "Theo cơ quan xử lý"))


async def test_last_years_count_of_a_top_brand_is_counted_wherever_it_ranked(app, seeded):
    reference = app.state.intake.reference
    words = reference.translator("vi")
    period = reference.calendar.named("bao-cao-nam", 2026)
    before = period.previous()
    book = openpyxl.load_workbook(io.BytesIO(await files.report_file(
        period, None, reference, words, "xlsx", dt.date(2026, 11, 20), "checkpoint")))
    brands = table(sheet_titled(book, "Nhãn hiệu bị phản ánh nhiều nhất"))
    last_year = Counter(case.brand for case in await cases_in(before.first_day, before.last_day))
    assert brands
    for brand, row in brands.items():
        assert row[before_title := next(h for h in row if h.startswith("Báo cáo năm 2025"))] == \
            last_year[brand], (brand, before_title)


def test_the_date_line_follows_decree_30():
    from workflows.figures.formal import date_text
    from workflows.i18n.translations import translator

    words = translator("vi")
    assert date_text(dt.date(2027, 2, 5), words) == "ngày 05 tháng 02 năm 2027"
    assert date_text(dt.date(2026, 6, 18), words) == "ngày 18 tháng 6 năm 2026"
    assert date_text(dt.date(2026, 12, 1), words) == "ngày 01 tháng 12 năm 2026"


async def test_the_draft_reaches_the_analysts_and_the_committee_before_the_due_date(
        mail_settings, smtp_server):
    from tests.conftest import running_app
    from tests.helpers import settled, wait_for
    from workflows.access.accounts import create_user
    from workflows.mail.models import OutboxMessage
    from workflows.mail.reminders import queue_due_report_reminders, reminder_day

    async with running_app(mail_settings) as app:
        context = app.state.intake
        reference = context.reference
        agencies = set(reference.agencies)
        await create_user("thong-ke@tinh.gov.vn", "mật-khẩu-đủ-dài-1", "analyst", None, agencies)
        await create_user("uy-vien@tinh.gov.vn", "mật-khẩu-đủ-dài-1", "committee", None, agencies)
        await create_user("can-bo@tinh.gov.vn", "mật-khẩu-đủ-dài-1", "officer", None, agencies)
        yearly = reference.calendar.reports["bao-cao-nam"]
        day = reminder_day(yearly, 2026, reference.service_levels)
        # Five working days before Sunday 15 November 2026 (24 November is Culture Day, later).
        assert day == dt.date(2026, 11, 9)
        notifier = context.outbox_sender.notifier
        before = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(9), VIETNAM)
        assert await queue_due_report_reminders(notifier, 7, before) == 0
        on_the_day = dt.datetime.combine(day, dt.time(9), VIETNAM)
        assert await queue_due_report_reminders(notifier, 7, on_the_day) == 3
        assert await queue_due_report_reminders(notifier, 7, on_the_day) == 0  # once
        context.outbox_sender.wake()
        recipients = ["bcd389@example.gov.vn", "thong-ke@tinh.gov.vn", "uy-vien@tinh.gov.vn"]
        await wait_for(lambda: all(smtp_server.handler.to(r) for r in recipients))
        assert not smtp_server.handler.to("can-bo@tinh.gov.vn")
        [mail] = smtp_server.handler.to("thong-ke@tinh.gov.vn")
        assert mail.message["Subject"] == ("Báo cáo năm 2026 đến hạn ngày 15/11/2026: bản dự "
                                           "thảo gửi kèm")
        assert "/staff/stats?period=bao-cao-nam%3A2026" in mail.part("plain")
        [attached] = list(mail.message.iter_attachments())
        assert attached.get_filename() == "intake-thong-ke-bao-cao-nam-2026-tinh.xlsx"
        draft = openpyxl.load_workbook(io.BytesIO(attached.get_content()))
        assert draft["Báo cáo"]["A7"].value == "Kỳ báo cáo: từ ngày 15/12/2025 đến ngày 14/11/2026"
        # Figures so far, against a whole previous year: every sheet says so.
        for sheet in (draft["Báo cáo"], draft["Phụ lục 1"]):
            note = sheet["A9" if sheet.title == "Báo cáo" else "A4"].value
            assert note.startswith("DỰ THẢO: số liệu tính đến ngày 09/11/2026; kỳ báo cáo kết "
                                   "thúc ngày 14/11/2026"), note
        for recipient in recipients:  # recorded as sent, once each
            assert (await settled(kind="report_reminder", recipient=recipient)).status == "sent"
        assert await OutboxMessage.filter(kind="report_reminder").count() == 3


async def test_pdfs_wait_for_a_free_cpu_and_say_so_when_none_frees(app, seeded, printer,
                                                                   tmp_path: Path):
    """A conversion takes a CPU for seconds: one per CPU at a time on the machine (held as a
    file lock, so every worker process shares the count); the others wait, then give up."""
    import fcntl

    reference = app.state.intake.reference
    workbook = await files.report_file(reference.calendar.period("2026-10"), None, reference,
                                       reference.translator("vi"), "xlsx",
                                       dt.date(2026, 11, 20), "checkpoint")
    slots = tmp_path / "slots"
    slots.mkdir()
    held = [open(slots / f"slot-{number}.lock", "a") for number in range(pdf.slots())]
    for handle in held:  # another worker's conversions, all running
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with pytest.raises(pdf.Busy):
        pdf.from_xlsx(workbook, "vi", slots, wait_seconds=0.5)
    held[-1].close()  # one finishes
    assert pdf.from_xlsx(workbook, "vi", slots, wait_seconds=0.5).startswith(b"%PDF")
    for handle in held[:-1]:
        handle.close()


@pytest.mark.parametrize("first", ["date", "number"])
def test_a_cell_styled_like_another_keeps_its_own_kind_of_value(first):
    """Cells styled alike share their style indexes; a date keeps the date format openpyxl
    gave it, and a number beside it stays a number, whichever came first."""
    from openpyxl import Workbook

    from workflows.figures.sheet_styles import GRID, aligned, style, typeface

    sheet = Workbook().active
    values = {"date": dt.date(2026, 10, 14), "number": 42}
    order = [first, "number" if first == "date" else "date"]
    for column, kind in enumerate(order, start=1):
        style(sheet.cell(1, column, values[kind]), typeface(11), aligned("right"), GRID)
    formats = {kind: sheet.cell(1, column).number_format
               for column, kind in enumerate(order, start=1)}
    assert formats == {"date": "yyyy-mm-dd", "number": "General"}
    assert all(sheet.cell(1, column).font.name == "Times New Roman" for column in (1, 2))
