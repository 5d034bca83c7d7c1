"""The committee's report as the Word document a secretary signs (Decree 30/2020/NĐ-CP), read
back by python-docx and printed by LibreOffice (read page by page with pdftotext): the margins,
the national heading, the issuing body's own heading for an agency's download, the signer's
name, narrative sentences whose numbers are the period's statistics, and the audit checkpoint
in the appendix, never on the signature page."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document

from tests.workflows.figures.test_formal_report import pdf_pages, printer, seeded  # noqa: F401
from workflows.figures import files, pdf
from workflows.figures.statistics import period_report_and_tallies
from workflows.i18n.formatting import format_number

MADE_ON = dt.date(2026, 11, 20)
CHECKPOINT = ("intake.khanhhoa.gov.vn/audit+5f0c1d2e\n48213\n"
              "q2XoPk7mM1cZ9tYwq3kP0b8V6hQ+zJrT1n4xW2yA5sE=\n\n"
              "— intake.khanhhoa.gov.vn/audit+5f0c1d2e 8rQ1x+long-signature-base64==\n")


async def document_for(app, code: str, agency: str | None = None,
                       file_format: str = "docx") -> bytes:
    reference = app.state.intake.reference
    period = reference.calendar.named(code, 2026)
    return await files.report_file(period, agency, reference, reference.translator("vi"),
                                   file_format, MADE_ON, CHECKPOINT)


def paragraphs(document) -> list[str]:
    """Every paragraph's text, those inside the heading and signature tables included."""
    found = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [paragraph.text for paragraph in cell.paragraphs]
    return found


def number(text: str) -> int:
    return int(text.replace(".", ""))


async def test_the_yearly_report_is_laid_out_as_decree_30_asks(app, seeded):  # noqa: F811
    document = Document(io.BytesIO(await document_for(app, "bao-cao-nam")))
    first = document.sections[0]
    margins = {side: round(getattr(first, f"{side}_margin").mm, 1)
               for side in ("left", "right", "top", "bottom")}
    assert 30 <= margins["left"] <= 35 and 15 <= margins["right"] <= 20, margins
    assert 20 <= margins["top"] <= 25 and 20 <= margins["bottom"] <= 25, margins
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    texts = paragraphs(document)
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "BAN CHỈ ĐẠO 389 TỈNH", "Số: ……/BC-BCĐ389",
                 "Khánh Hòa, ngày …… tháng …… năm 2026", "BÁO CÁO", "Nơi nhận:",
                 "I. TÌNH HÌNH TIẾP NHẬN PHẢN ÁNH", "II. KẾT QUẢ XỬ LÝ",
                 "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                 "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "Phụ lục 1"):
        assert line in texts, line
    signer = app.state.intake.reference.calendar.issuer.signer_name
    assert signer and signer in texts
    fonts = {run.font.name for paragraph in document.paragraphs for run in paragraph.runs
             if run.text}
    assert fonts == {"Times New Roman"} == {document.styles["Normal"].font.name}
    body_sizes = {run.font.size.pt for paragraph in document.paragraphs
                  for run in paragraph.runs if paragraph.text.startswith("Trong kỳ")}
    assert body_sizes and body_sizes <= {13.0, 14.0}


async def test_the_narrative_says_the_periods_own_figures(app, seeded):  # noqa: F811
    reference = app.state.intake.reference
    for code in ("bao-cao-6-thang", "bao-cao-nam"):
        period = reference.calendar.named(code, 2026)
        report, _ = await period_report_and_tallies(period, None, reference.calendar)
        now, before = report.current, report.previous
        text = "\n".join(paragraphs(Document(io.BytesIO(await document_for(app, code)))))
        received = re.search(r"đã tiếp nhận ([\d.]+) phản ánh, (tăng|giảm) ([\d.]+) phản ánh"
                             r".*?\(([\d.]+) phản ánh\)", text)
        assert received, text[:2000]
        assert number(received.group(1)) == now.received > 0
        assert number(received.group(4)) == before.received
        assert number(received.group(3)) == abs(now.received - before.received)
        assert received.group(2) == ("tăng" if now.received > before.received else "giảm")
        resolved = re.search(r"đã giải quyết ([\d.]+) phản ánh, trong đó ([\d.]+) phản ánh "
                             r"đúng hạn .*? và ([\d.]+) phản ánh quá hạn", text)
        assert resolved and (number(resolved.group(1)), number(resolved.group(2)),
                             number(resolved.group(3))) == (
            now.resolved, now.resolved_in_time, now.resolved - now.resolved_in_time)
        still_open = re.search(r"([\d.]+) phản ánh còn đang xử lý đến cuối kỳ", text)
        assert still_open and number(still_open.group(1)) == now.open_at_end
        assert f"tổng số tiền xử phạt {format_number(now.fines_vnd)} đồng" in text
        counterfeit = now.by["category"].get("counterfeit", 0)
        assert f"Hàng giả {format_number(counterfeit)}" in text


async def test_an_agencys_report_is_under_its_own_heading_and_counts_its_own_cases(
        app, seeded):  # noqa: F811
    reference = app.state.intake.reference
    period = reference.calendar.named("bao-cao-nam", 2026)
    own, _ = await period_report_and_tallies(period, "qltt", reference.calendar)
    texts = paragraphs(Document(io.BytesIO(await document_for(app, "bao-cao-nam", "qltt"))))
    assert "CHI CỤC QUẢN LÝ THỊ TRƯỜNG" in texts and "Số: ……/BC-QLTT" in texts
    assert "SỞ CÔNG THƯƠNG TỈNH KHÁNH HÒA" in texts
    assert "BAN CHỈ ĐẠO 389 TỈNH" not in texts and "Số: ……/BC-BCĐ389" not in texts
    assert reference.agencies["qltt"].report_signer_name in texts
    assert any(f"đã tiếp nhận {format_number(own.current.received)} phản ánh" in text
               for text in texts)
    # The XLSX data file carries the same heading.
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(await document_for(app, "bao-cao-nam", "qltt",
                                                                "xlsx")))
    cells = {str(cell.value) for row in book.worksheets[0].iter_rows() for cell in row}
    assert "CHI CỤC QUẢN LÝ THỊ TRƯỜNG" in cells and "BAN CHỈ ĐẠO 389 TỈNH" not in cells


async def test_printed_the_checkpoint_is_one_line_in_the_appendix_not_by_the_signature(
        app, seeded, printer, tmp_path: Path):  # noqa: F811
    printed = tmp_path / "bao-cao-nam.pdf"
    printed.write_bytes(await document_for(app, "bao-cao-nam", file_format="pdf"))
    pages = pdf_pages(printed)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0] and "BÁO CÁO" in pages[0]
    signature_page = next(number for number, page in enumerate(pages) if "Nơi nhận" in page)
    signer = app.state.intake.reference.calendar.issuer.signer_name
    assert signer in " ".join(pages[signature_page].split())
    for page in pages[:signature_page + 1]:
        assert "Xác thực số liệu" not in page and "q2XoPk7m" not in page
        assert "signature-base64" not in page
    verified = [number for number, page in enumerate(pages) if "Xác thực số liệu" in page]
    assert verified == [len(pages) - 1]
    last = " ".join(pages[-1].split())
    assert "48213" in last and "q2XoPk7mM1cZ" in last
    assert "intake.khanhhoa.gov.vn/audit/key" in last
    assert "signature-base64" not in last  # a short line, not the whole note
    appendix = next(number for number, page in enumerate(pages) if "Phụ lục 1" in page)
    assert appendix > signature_page


def test_without_libreoffice_there_is_no_pdf_but_a_clear_reason(monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(pdf.Unavailable, match="libreoffice-writer-nogui"):
        pdf.from_docx(b"PK")


async def test_a_period_without_reports_says_so_in_one_sentence(app, seeded):  # noqa: F811
    reference = app.state.intake.reference
    period = reference.calendar.period("2019")
    document = await files.report_file(period, None, reference, reference.translator("en"),
                                       "docx", MADE_ON, "")
    text = "\n".join(paragraphs(Document(io.BytesIO(document))))
    assert "không tiếp nhận phản ánh nào" in text  # Vietnamese, asked in English
    assert "Trong kỳ chưa có phản ánh nào được giải quyết." in text
    assert not re.search(r"\b0 (phản ánh|vụ việc|loại)", text), text[:3000]
    assert "Xác thực số liệu" not in text  # no checkpoint signed yet: nothing to check


async def test_the_appendices_are_numbered_as_in_the_data_file(app, seeded):  # noqa: F811
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(await document_for(app, "bao-cao-nam",
                                                                file_format="xlsx")))
    in_xlsx = [sheet["A2"].value for sheet in book.worksheets[1:]]
    texts = paragraphs(Document(io.BytesIO(await document_for(app, "bao-cao-nam"))))
    in_docx = [texts[index + 1] for index, text in enumerate(texts)
               if re.fullmatch(r"Phụ lục \d+", text)]
    assert in_docx == in_xlsx and len(in_docx) >= 10
    assert "(Kèm theo Báo cáo số ……/BC-BCĐ389 ngày …… tháng …… năm 2026)" in texts


async def test_the_police_units_report_names_it_and_goes_to_the_committee(app, seeded):  # noqa: F811
    texts = paragraphs(Document(io.BytesIO(await document_for(app, "bao-cao-nam", "pc03"))))
    assert "CÔNG AN TỈNH KHÁNH HÒA" in texts and "PHÒNG CẢNH SÁT KINH TẾ" in texts
    assert "Số: ……/BC-PC03" in texts
    assert "- Ban Chỉ đạo 389 tỉnh (báo cáo);" in texts and "- Lưu: VT." in texts
    assert not any(text.startswith("Theo cơ quan xử lý") for text in texts)
