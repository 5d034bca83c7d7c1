"""Open data: published months' counts at stable URLs, hand-counted, frozen, and naming no
person, shop, brand or place."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from tests.workflows.figures.test_statistics import make, vn
from workflows.figures.open_data import due_months
from workflows.i18n.formatting import VIETNAM
from workflows.reference.reporting import ReportingCalendar

# The commune or ward is published (counts per commune, for the map); nothing finer.
IDENTIFYING = ("Nguyễn Văn Bí Mật", "0912345678", "bimat@example.com", "Mô tả riêng tư",
               "Sạp Bà Tư", "Nike")


def test_a_month_is_published_a_set_number_of_days_after_it_ends():
    calendar = ReportingCalendar(cutoff_day=14, publish_after_days=5)
    first_case = dt.date(2026, 6, 1)
    labels = [m.label for m in due_months(calendar, dt.date(2026, 10, 19), first_case)]
    assert labels == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]  # ended 14 Oct
    assert due_months(calendar, dt.date(2026, 10, 18), first_case)[-1].label == "2026-09"
    assert due_months(calendar, dt.date(2026, 10, 18), None) == []


async def test_the_files_hold_hand_counted_figures_of_published_months_only(app, client):
    calendar = app.state.intake.reference.calendar
    today = dt.datetime.now(VIETNAM).date()
    month = calendar.month(today - dt.timedelta(days=70))  # long published
    first, last = month.first_day, month.last_day
    private = dict(brand="Nike", shop_name="Sạp Bà Tư", shop_key="sạp bà tư",
                   commune="Phường Hàng Đào")
    await make("OD1", vn(first.year, first.month, first.day, 0, 10), **private)
    await make("OD2", vn(last.year, last.month, last.day, 23, 30), category="smuggled",
               status="resolved", resolved_at=vn(last.year, last.month, last.day, 23, 45),
               due_at=vn(last.year, last.month, last.day, 23, 50), **private)
    await make("OD3", vn(last.year, last.month, last.day, 23, 40), category="smuggled",
               product_group="cosmetics", agency_code=None)
    await make("NOW", dt.datetime.now(dt.UTC), category="labelling")  # this month: not yet

    response = await client.get("/open-data/monthly.csv")
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    text = response.content.decode("utf-8-sig")
    rows = {(r["month"], r["breakdown"], r["code"]): r for r in csv.DictReader(io.StringIO(text))}
    assert {key[0] for key in rows} == {month.label}  # the current month is not published
    smuggled = rows[(month.label, "category", "smuggled")]
    assert (smuggled["name_vi"], smuggled["received"], smuggled["resolved"],
            smuggled["resolved_in_time"], smuggled["on_time_share"]) == (
        "Hàng nhập lậu", "2", "1", "1", "1.0")
    assert rows[(month.label, "category", "counterfeit")]["received"] == "1"
    assert rows[(month.label, "product_group", "cosmetics")]["received"] == "1"
    assert rows[(month.label, "agency", "qltt")]["received"] == "2"
    assert rows[(month.label, "agency", "")]["name_en"] == "Awaiting triage"
    assert rows[(month.label, "commune", "Phường Hàng Đào")]["received"] == "2"
    assert rows[(month.label, "commune", "")]["received"] == "1"
    assert not any(value in text for value in IDENTIFYING)

    document = (await client.get("/open-data/monthly.json")).json()
    assert len(document["records"]) == len(rows)
    page = await client.get("/open-data")
    assert page.status_code == 200
    shown = f"Tháng {int(month.label[5:])}/{month.label[:4]}"  # its title, not 2026-10
    assert re.search(rf'<th scope="row">{shown}</th><td>[^<]*</td><td class="number">3</td>',
                     page.text)
    assert not any(value in page.text for value in IDENTIFYING)

    # Published figures are frozen: a case filed late under that month changes nothing.
    await make("LATE", vn(first.year, first.month, first.day, 9), category="smuggled")
    again = (await client.get("/open-data/monthly.csv")).content.decode("utf-8-sig")
    assert again == text


async def test_the_police_are_published_only_as_the_competent_authority(app, client):
    """A month's count of the cases with the police, under their name, would tell a seller
    which report is theirs: the files and the page say "the competent authority"."""
    calendar = app.state.intake.reference.calendar
    month = calendar.month(dt.datetime.now(VIETNAM).date() - dt.timedelta(days=70))
    first = month.first_day
    await make("PC1", vn(first.year, first.month, first.day, 9), agency_code="pc03",
               sealed_at=vn(first.year, first.month, first.day, 10))
    await make("QL1", vn(first.year, first.month, first.day, 9))
    police = app.state.intake.reference.agencies["pc03"]
    text = (await client.get("/open-data/monthly.csv")).content.decode("utf-8-sig")
    rows = {(r["breakdown"], r["code"]): r for r in csv.DictReader(io.StringIO(text))}
    authority = rows[("agency", "competent_authority")]
    assert (authority["name_vi"], authority["name_en"], authority["received"]) == (
        "Cơ quan có thẩm quyền", "The competent authority", "1")
    assert rows[("agency", "qltt")]["received"] == "1"
    documents = [text, (await client.get("/open-data/monthly.json")).text,
                 (await client.get("/open-data")).text]
    for document in documents:
        for trace in (police.name_vi, police.name_en, "pc03", "Cảnh sát", "Công an"):
            assert trace not in document
