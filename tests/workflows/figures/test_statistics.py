"""The statistics against figures counted by hand, on both databases, at the period edges."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time

import openpyxl
import pytest

from workflows.audit.sequencer import signed_now
from workflows.cases.models import Case
from workflows.figures import files, line_list
from workflows.figures.formal import verification_line
from workflows.figures.statistics import period_report
from workflows.i18n.formatting import VIETNAM
from workflows.reference.reporting import PeriodError, date_range, parse_period


def vn(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM).astimezone(dt.UTC)


async def make(code: str, created: dt.datetime, **fields) -> Case:
    values = dict(tracking_code=code, pin_digest="0" * 64, category="counterfeit",
                  product_name="Giày thể thao", product_group="clothing", sales_channel="shop",
                  description="Mô tả riêng tư", agency_code="qltt", status="received",
                  reporter_name="Nguyễn Văn Bí Mật", reporter_phone="0912345678",
                  reporter_email="bimat@example.com")
    values.update(fields)
    case = await Case.create(**values)
    await Case.filter(id=case.id).update(created_at=created)  # auto_now_add ignores a value
    return case


@pytest.fixture
async def known_cases(app):
    """Six cases around October 2026 with reporting cut-off day 14 (15 Sep – 14 Oct)."""
    await make("C1", vn(2026, 9, 15, 0, 10), commune="Phường A", brand="Nike", shop_name="Sạp 1",
               shop_key="sạp 1", status="resolved", resolved_at=vn(2026, 9, 25, 0, 10),
               due_at=vn(2026, 10, 5), outcome="violation_confirmed", fine_vnd=10_000_000,
               seized_quantity=5, seized_value_vnd=2_000_000)
    await make("C2", vn(2026, 10, 14, 23, 30), category="smuggled", sales_channel="online",
               commune="Phường B", brand="Nike", shop_name="Shop Online", shop_key="shop online")
    await make("C3", vn(2026, 10, 15, 0, 0), commune="Phường A")
    await make("C4", vn(2026, 9, 14, 23, 59), category="labelling", agency_code="khcn",
               sales_channel="online", status="closed", resolved_at=vn(2026, 9, 20, 23, 59),
               due_at=vn(2026, 9, 18), outcome="not_confirmed")
    await make("C5", vn(2026, 9, 20), commune="Phường A", shop_name="SẠP  1", shop_key="sạp 1",
               status="rejected")
    await make("C6", vn(2026, 10, 1), category="consumer_dispute", agency_code="bvntd",
               sales_channel="market", brand="Vinamilk", product_name="Sữa", status="resolved",
               resolved_at=vn(2026, 10, 3), due_at=vn(2026, 10, 20), outcome="referred")


async def test_a_month_with_a_cut_off_day_matches_the_hand_count(known_cases):
    figures = (await period_report(parse_period("2026-10", cutoff_day=14))).current
    assert figures.received == 4  # C1, C2, C5, C6: C3 is November's, C4 September's
    assert figures.by["category"] == {"counterfeit": 2, "smuggled": 1, "consumer_dispute": 1}
    assert figures.by["agency_code"] == {"qltt": 3, "bvntd": 1}
    assert figures.by["sales_channel"] == {"shop": 2, "online": 1, "market": 1}
    assert figures.online_share == 0.25
    assert (figures.settled_by_end, figures.rejected, figures.open_at_end) == (2, 1, 1)
    # Resolved in the period, whenever received: C1, C4, C6; C4 after its due date.
    assert (figures.resolved, figures.resolved_in_time) == (3, 2)
    assert figures.in_time_share == pytest.approx(2 / 3)
    assert (figures.median_days, figures.p90_days) == (6.0, 10.0)  # of 2, 6 and 10 days
    assert figures.outcomes == {"violation_confirmed": 1, "not_confirmed": 1, "referred": 1}
    assert (figures.fines_vnd, figures.seized_quantity, figures.seized_value_vnd) == (
        10_000_000, 5, 2_000_000)
    assert figures.top_brands == [("Nike", 2), ("Vinamilk", 1)]
    assert figures.top_shops[0] == ("Sạp 1", "Phường A", 2)  # the same shop, written two ways


async def test_the_previous_period_and_an_agency_view(known_cases):
    october = await period_report(parse_period("2026-10", cutoff_day=14))
    assert october.previous_period.label == "2026-09"
    assert (october.previous.received, october.previous.resolved) == (1, 0)  # C4
    khcn = await period_report(parse_period("2026-10", cutoff_day=14), agency_code="khcn")
    assert (khcn.current.received, khcn.current.resolved, khcn.previous.received) == (0, 1, 1)


async def test_calendar_months_count_in_vietnam_time(known_cases):
    await make("C7", vn(2026, 10, 31, 23, 30))  # still 31 October in Vietnam
    await make("C8", vn(2026, 11, 1, 0, 30))  # 31 October in UTC, but November in Vietnam
    october = (await period_report(parse_period("2026-10"))).current
    assert october.received == 4  # C2, C3, C6, C7
    november = (await period_report(parse_period("2026-11"))).current
    assert november.received == 1  # C8


def test_periods_and_their_boundaries():
    assert (parse_period("2026-10", 14).first_day, parse_period("2026-10", 14).last_day) == (
        dt.date(2026, 9, 15), dt.date(2026, 10, 14))
    half = parse_period("2026-H1", 14)
    assert (half.first_day, half.last_day) == (dt.date(2025, 12, 15), dt.date(2026, 6, 14))
    assert parse_period("2026-Q1").previous().label == "2025-Q4"
    year = parse_period("2026")
    assert (year.first_day, year.last_day, year.previous().label) == (
        dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2025")
    ready_for_november = parse_period("2026", cutoff_day=14, year_end_month=11)
    assert (ready_for_november.first_day, ready_for_november.last_day) == (
        dt.date(2025, 11, 15), dt.date(2026, 11, 14))
    before = ready_for_november.previous()
    assert (before.label, before.first_day, before.last_day) == (
        "2025", dt.date(2024, 11, 15), dt.date(2025, 11, 14))
    assert parse_period("2026", cutoff_day=14).previous().first_day == dt.date(2024, 12, 15)
    span = date_range(dt.date(2026, 3, 1), dt.date(2026, 3, 10)).previous()
    assert (span.first_day, span.last_day) == (dt.date(2026, 2, 19), dt.date(2026, 2, 28))
    for wrong in ("2026-13", "10/2026", "2026-Q5", ""):
        with pytest.raises(PeriodError):
            parse_period(wrong)


PRIVATE = ("Nguyễn Văn Bí Mật", "0912345678", "bimat@example.com", "Mô tả riêng tư")


async def test_every_export_format_opens_and_holds_the_figures_without_personal_data(
        known_cases, app):
    await make("C9", vn(2026, 10, 2), shop_name='=HYPERLINK("http://x.example","bấm")',
               shop_key="=hyperlink", brand="+cmd", product_name="@SUM(A1)")
    agencies = app.state.intake.reference.agencies
    words = app.state.intake.reference.translator("vi")
    period = parse_period("2026-10", cutoff_day=14)
    made = await period_report(period)

    signed = (await signed_now(app.state.intake.signer)).note
    text = files.to_csv(made, agencies, words, signed)
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mục", "Nội dung", "Kỳ này Tháng 10/2026 (15/09/2026 – 14/10/2026)"]
    assert ["Tổng hợp", "Số phản ánh tiếp nhận", "5", "1", "4"] in rows
    assert ["Theo loại phản ánh", "Hàng giả", "3", "0", "3"] in rows
    assert ["Kết quả xử lý", "Xác định có vi phạm", "1", "0", "1"] in rows
    assert any(row[1] == "'+cmd" for row in rows)  # neutralised, not a formula
    assert rows[-1] == [words(files.CHECKPOINT_LABEL), signed]  # the note, exactly

    reference = app.state.intake.reference
    workbook = await files.report_file(period, None, reference, words, "xlsx",
                                       dt.date(2026, 10, 20), signed)
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    report = book["Báo cáo"]
    assert report["C1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert report["C3"].value == "Khánh Hòa, ngày 20 tháng 10 năm 2026"
    assert report["A7"].value == "Tháng 10/2026 (15/09/2026 – 14/10/2026)"
    # The signed note, exactly, under the last appendix's table; nothing of it by the signature.
    last = [cell.value for row in book.worksheets[-1].iter_rows() for cell in row]
    assert [value for value in last if value is not None][-2:] == [
        verification_line(signed, words), signed]
    assert signed not in [cell.value for row in report.iter_rows() for cell in row]
    fines = next(row for row in report.iter_rows() if row[1].value == "Tổng tiền phạt")
    assert [cell.value for cell in fines[2:5]] == [10_000_000, 0, 10_000_000]
    assert fines[2].number_format == '#,##0 "₫"'
    shops = next(sheet for sheet in book if sheet["A2"].value == "CƠ SỞ BỊ PHẢN ÁNH NHIỀU NHẤT")
    assert all(not str(cell.value).startswith("=") for row in shops.iter_rows()
               for cell in row if cell.value)

    document = json.loads(files.to_json(made, agencies, words, signed))
    assert document["audit_checkpoint"] == signed
    assert document["current"]["received"] == 5 and document["previous"]["received"] == 1
    assert document["period"] == {"label": "2026-10", "title": "Tháng 10/2026",
                                  "from": "2026-09-15", "to": "2026-10-14"}

    detail = [row async for row in line_list.rows(period, None, agencies, words)]
    assert len(detail) == 5
    shop = [name for name, _ in line_list.COLUMNS].index("shop_name")  # read by its name
    assert any(row[shop] == "'=HYPERLINK(\"http://x.example\",\"bấm\")" for row in detail)
    for blob in (text.decode("utf-8"), json.dumps(document, ensure_ascii=False),
                 json.dumps(detail, ensure_ascii=False, default=str),
                 " ".join(str(c.value) for s in book for r in s.iter_rows() for c in r)):
        for secret in PRIVATE:
            assert secret not in blob


@pytest.mark.parametrize("stored", ["2026-10-20 05:00:00+00:00", "2026-10-20 05:00:00",
                                    "2026-10-20T05:00:00Z", "2026-10-20 12:00:00.5+07:00"])
def test_the_line_list_writes_a_stored_moment_in_vietnam_time(stored, monkeypatch):
    """However SQLite holds the text (an offset or none, which the ORM reads as UTC), and
    whatever the server's own zone."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert line_list._when(stored) == "20/10/2026 12:00"
        assert line_list._when(dt.datetime(2026, 10, 20, 5, tzinfo=dt.UTC)) == "20/10/2026 12:00"
        assert line_list._when(None) == ""
    finally:
        monkeypatch.undo()
        time.tzset()
