"""The statistics page and its downloads, as the steering committee's staff and the agencies'
leads use them."""

from __future__ import annotations

import base64
import csv
import io
import re

import openpyxl

from tests.helpers import REPORTER, VALID_REPORT
from tests.intake.backoffice.test_export_limits import first_checkpoint
from tests.intake.conftest import sign_in
from workflows.access.models import StaffUser
from workflows.audit.models import AuditEvent
from workflows.audit.notes import Checkpoint, Verifier
from workflows.cases.models import Case

PRIVATE = (REPORTER["reporter_name"], REPORTER["reporter_phone"], REPORTER["reporter_email"],
           VALID_REPORT["description"])


def headline(page: str, label: str) -> str:
    """The current period's value in the headline row called `label`."""
    match = re.search(re.escape(label) + r'</th>\s*<td class="number">([^<]*)</td>', page)
    assert match, label
    return match.group(1)


def chart_svgs(page: str) -> list[str]:
    return [base64.b64decode(data).decode("utf-8")
            for data in re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)]


async def test_the_page_shows_this_months_figures_and_charts_beside_their_tables(
        client, accounts, cases):
    await sign_in(client, "analyst")
    page = (await client.get("/staff/stats")).text
    assert headline(page, "Số phản ánh tiếp nhận") == "3"
    svgs = chart_svgs(page)
    assert len(svgs) == 4
    assert all("<script" not in svg for svg in svgs)  # drawn on the server, no JavaScript
    assert "Hàng giả" in svgs[0]  # the monthly chart's legend names the categories
    assert "Phường Nha Trang" in svgs[2]
    # Each chart's numbers are also in a table, for screen readers and for print.
    assert re.search(r'<th scope="row">Phường Nha Trang</th><td class="number">3</td>', page)
    assert re.search(r'<th scope="row">Hưng Thịnh</th><td class="number">3</td>', page)
    assert not any(value in page for value in PRIVATE)
    english = (await client.get("/staff/stats?lang=en")).text
    assert headline(english, "Reports received") == "3"


async def test_a_lead_sees_and_downloads_only_their_agency(client, accounts, cases):
    own = await Case.filter(agency_code="qltt").count()
    assert 0 < own < 3
    await sign_in(client, "qltt_lead")
    page = (await client.get("/staff/stats")).text
    assert headline(page, "Số phản ánh tiếp nhận") == str(own)
    assert 'id="agency"' not in page  # nothing to choose
    assert (await client.get("/staff/stats?agency=khcn")).status_code == 404
    download = await client.get("/staff/stats/export", params={"format": "json"})
    assert download.json()["agency"] == "qltt"
    assert download.json()["current"]["received"] == own


async def test_downloads_hold_the_figures_without_personal_data_and_are_audited(
        client, accounts, cases):
    signed = await first_checkpoint()
    await sign_in(client, "officer")
    page = (await client.get("/staff/stats")).text
    period = re.search(r'name="period" value="([^"]+)"', page).group(1)

    xlsx = await client.get("/staff/stats/export", params={"period": period, "format": "xlsx"})
    assert xlsx.status_code == 200
    assert f"thong-ke-{period}-tinh.xlsx" in xlsx.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.active["A5"].value == "BÁO CÁO"
    received = next(row for row in workbook.active.iter_rows(values_only=True)
                    if row[1] == "Số phản ánh tiếp nhận")
    assert received[2] == 3  # this period
    # Printed under the last table: the log's latest signed checkpoint, as the server signed it
    # (an export signs none of its own: tests/intake/backoffice/test_export_limits.py).
    last = workbook.worksheets[-1]  # under the last appendix, not by the signature
    note = last.cell(last.max_row, 1).value
    verifier = Verifier.from_vkey((await client.get("/audit/key")).text)
    head = Checkpoint.parse(verifier.open(note))
    assert (note, head.size) == (signed.note, signed.size)

    listing = await client.get("/staff/stats/export",
                               params={"period": period, "format": "csv", "detail": "1"})
    assert listing.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(listing.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã tra cứu" and len(rows) == 4
    product = rows[0].index("Tên sản phẩm")  # the column by its name, wherever it stands
    assert {row[product] for row in rows[1:]} >= {"Nước mắm Phú Quốc 500 ml", "Dầu gội Clear giả"}
    for body in (xlsx.content.decode("latin-1"), listing.content.decode("utf-8")):
        assert not any(value in body for value in PRIVATE)

    officer = await StaffUser.get(role="officer")
    exported = await AuditEvent.filter(action="export").order_by("seq").values(
        "actor_type", "actor_id", "after")
    assert [(e["actor_type"], e["actor_id"], e["after"]["format"], e["after"]["detail"])
            for e in exported] == [("staff", str(officer.id), "xlsx", False),
                                   ("staff", str(officer.id), "csv", True)]


async def test_a_period_not_understood_is_explained_in_vietnamese(client, accounts, cases):
    await sign_in(client, "analyst")
    page = await client.get("/staff/stats", params={"period": "2026-13"})
    assert page.status_code == 200
    assert "“2026-13” không phải là một kỳ: hãy viết 2026-10 (tháng)" in page.text
    assert 'value="2026-13"' in page.text  # what was typed stays in the field
    # Each mistake gets its own reason, not one hint for all.
    unknown = await client.get("/staff/stats", params={"period": "bao-cao-quy:2026"})
    assert "Không có báo cáo nào tên “bao-cao-quy”. Các báo cáo: bao-cao-6-thang, bao-cao-nam." \
        in unknown.text
    too_early = await client.get("/staff/stats", params={"period": "bao-cao-nam:1999"})
    assert "Vui lòng chọn năm trong khoảng từ 2001 đến 2100." in too_early.text
    backwards = await client.get("/staff/stats", params={"from": "2026-10-31", "to": "2026-10-01"})
    assert "Ngày kết thúc đang ở trước ngày bắt đầu." in backwards.text
    half = await client.get("/staff/stats", params={"from": "2026-10-01"})
    assert "Vui lòng nhập đủ hai ngày" in half.text
    for start, end, bad in (("2026-02-30", "2026-03-01", "2026-02-30"),
                            ("2026-02-01", "2026-13-01", "2026-13-01"),
                            ("31/01/2026", "2026-02-01", "31/01/2026")):
        impossible = await client.get("/staff/stats", params={"from": start, "to": end})
        assert f"“{bad}” không phải là một ngày (năm-tháng-ngày, ví dụ 2026-10-31)." in \
            impossible.text
    wrong = await client.get("/staff/stats/export", params={"period": "2026-10", "format": "doc"})
    assert wrong.status_code == 400 and "Không có tệp tải về này" in wrong.text
    assert not await AuditEvent.filter(action="export").exists()


async def test_staff_who_work_no_cases_start_on_the_statistics(client, accounts):
    signed_in = await sign_in(client, "analyst", follow="")
    assert signed_in.headers["location"] == "/staff/stats"
    queue_people = await sign_in(client, "qltt", follow="")
    assert queue_people.headers["location"] == "/staff/queue"


async def test_the_plans_reports_are_chosen_by_name_and_downloaded_as_they_are_sent(
        client, accounts, cases):
    import datetime as dt

    from workflows.figures import pdf

    # One case a month older, written before any report is asked for: a report freezes the
    # months that have ended, and a change written straight into the table is no correction.
    first = next(iter(cases.values()))
    await Case.filter(id=first.id).update(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=35))
    await sign_in(client, "analyst")
    page = (await client.get("/staff/stats")).text
    year = dt.date.today().year
    assert f"Báo cáo năm {year}" in page and f"Báo cáo 6 tháng đầu năm {year}" in page
    assert re.search(r"<h2>Tháng \d{1,2}/\d{4} \(", page)  # a title, not 2026-11
    chosen = (await client.get("/staff/stats", params={"period": "bao-cao-nam:2026"})).text
    assert "<h2>Báo cáo năm 2026 (15/12/2025 – 14/11/2026)</h2>" in chosen
    assert "Báo cáo năm 2025" in chosen  # the same report a year before, beside it
    # Chosen as a person says it, with or without marks; the box then shows the name.
    for said in ("Báo cáo năm 2026", "bao cao nam  2026"):
        by_name = (await client.get("/staff/stats", params={"period": said})).text
        assert "<h2>Báo cáo năm 2026 (15/12/2025 – 14/11/2026)</h2>" in by_name
    assert 'value="Báo cáo năm 2026"' in chosen
    half = (await client.get("/staff/stats", params={"period": "Báo cáo 6 tháng đầu năm 2026"}))
    assert "<h2>Báo cáo 6 tháng đầu năm 2026 (15/12/2025 – 14/06/2026)</h2>" in half.text
    this_month = (await client.get("/staff/stats")).text
    assert "0 điểm %" in this_month  # a share's change is in percentage points
    wrong = (await client.get("/staff/stats", params={"period": "bao-cao-thang:2026"})).text
    assert "bao-cao-nam" in wrong  # the message names the reports there are
    xlsx = await client.get("/staff/stats/export", params={"period": "bao-cao-nam:2026",
                                                           "format": "xlsx"})
    assert xlsx.status_code == 200
    assert "intake-thong-ke-bao-cao-nam-2026-tinh.xlsx" in xlsx.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book["Báo cáo"]["A5"].value == "BÁO CÁO"
    if pdf.soffice():  # tests/workflows/figures/test_formal_report.py insists it is there in CI
        printed = await client.get("/staff/stats/export", params={"period": "bao-cao-nam:2026",
                                                                  "format": "pdf"})
        assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
        assert 'format=pdf' in chosen


def test_last_years_reports_stay_offered_until_this_years_first_is_due(app):
    import datetime as dt

    from intake.backoffice.stats import _choices

    calendar = app.state.intake.reference.calendar

    def offered(today: dt.date) -> list[str]:
        return [period.label for period in _choices(calendar, today)["reports"]]

    # Mid-December: the reporting year 2027 has begun, the 2026 yearly report is still wanted.
    assert offered(dt.date(2026, 12, 16)) == ["bao-cao-6-thang:2026", "bao-cao-nam:2026",
                                              "bao-cao-6-thang:2027", "bao-cao-nam:2027"]
    # The six-month report is due on 25 June.
    assert offered(dt.date(2026, 6, 25))[:2] == ["bao-cao-6-thang:2025", "bao-cao-nam:2025"]
    assert offered(dt.date(2026, 6, 26)) == ["bao-cao-6-thang:2026", "bao-cao-nam:2026"]
