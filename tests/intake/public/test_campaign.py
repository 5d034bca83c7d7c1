"""Feedback that is not a complaint (issue 39): a citizen sends the campaign a suggestion or
recommends a Vietnamese product or shop; it goes to the steering committee (not to an agency),
is counted in the committee's report and its narrative, and is published as monthly counts
naming no one. On both databases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import httpx

from tests.conftest import browser
from tests.helpers import csrf_token
from tests.workflows.figures.test_statistics import make, vn
from workflows.access.accounts import create_user
from workflows.audit.models import AuditEvent
from workflows.campaign.models import CampaignFeedback
from workflows.cases.models import Case
from workflows.figures.narrative import narrative
from workflows.figures.open_data import due_months
from workflows.figures.sections import sections
from workflows.figures.statistics import period_report_and_tallies
from workflows.i18n.formatting import VIETNAM
from workflows.reference.loading import ReferenceData

PASSWORD = "mật-khẩu-đủ-dài-1"
PRIVATE = ("Nguyễn Thị Góp Ý", "0905123987", "gopy@example.vn")
RECOMMENDATION = {"kind": "product", "subject": "Nước mắm Nha Trang 40 độ đạm",
                  "brand": "Hòn Tre", "body": "Nước mắm ngon, nhãn rõ ràng, giá hợp lý."}


def text_of(page: httpx.Response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


async def send(client: httpx.AsyncClient, fields: dict[str, str]) -> httpx.Response:
    token = await csrf_token(client, "/suggest")
    return await client.post("/suggest", data={**fields, "csrf_token": token})


async def test_a_recommendation_reaches_the_committee_not_an_agency(app, client):
    answer = await send(client, RECOMMENDATION)
    assert answer.status_code == 303 and answer.headers["location"] == "/suggest?sent=1"
    thanks = await client.get(answer.headers["location"])
    assert "Ban Chỉ đạo Cuộc vận động đã nhận được ý kiến bạn gửi" in text_of(thanks)
    stored = await CampaignFeedback.get()
    assert (stored.kind, stored.subject, stored.brand) == ("product", "Nước mắm Nha Trang 40 "
                                                          "độ đạm", "Hòn Tre")
    assert not await Case.exists()  # not a complaint: no case, no agency, no deadline
    event = await AuditEvent.get(action="campaign_feedback_received")
    assert event.after == {"feedback": stored.id, "kind": "product"}


async def test_the_form_comes_back_field_by_field_keeping_what_was_typed(app, client):
    answer = await send(client, {"kind": "shop", "subject": "", "body": "  ",
                                 "contact_name": PRIVATE[0], "contact_phone": "12",
                                 "contact_email": "khong-phai-thu"})
    assert answer.status_code == 400
    shown = text_of(answer)
    for message in ("Hãy ghi tên cửa hàng bạn giới thiệu.", "Hãy viết nội dung ý kiến.",
                    "Hãy nhập số điện thoại, ví dụ 0905 123 987",
                    "Hãy nhập một địa chỉ email, ví dụ ten@example.com."):
        assert message in shown
    assert f'value="{PRIVATE[0]}"' in answer.text
    assert re.search(r'id="kind-shop"[^>]*checked', answer.text)
    nothing = await send(client, {"body": "Ý kiến"})
    assert "Hãy chọn loại ý kiến bạn gửi." in text_of(nothing)
    # Contact details without consent are not kept: the citizen is asked to choose.
    unconsented = await send(client, {**RECOMMENDATION, "contact_name": PRIVATE[0]})
    assert unconsented.status_code == 400
    assert "Hãy đánh dấu ô đồng ý" in text_of(unconsented)
    assert not await CampaignFeedback.exists()


async def test_the_commune_and_phone_are_read_as_the_report_form_reads_them(app, client):
    """One reading for every form: a ward named by its official code (as an app sends it) is
    stored by its name, one of another province is refused, and a phone hiding an invisible
    character is refused rather than stored."""
    places = app.state.intake.reference.places
    name, code = next(iter(places.codes.items()))
    by_code = await send(client, {**RECOMMENDATION, "commune": str(code)})
    assert by_code.status_code == 303
    assert (await CampaignFeedback.get()).commune == name
    for typed, message in (("Phường Ba Đình", "Hãy chọn xã, phường trong danh sách."),
                           ("0905\u200b123987", "ký tự vô hình")):
        field = "commune" if "Phường" in typed else "contact_phone"
        refused = await send(client, {**RECOMMENDATION, field: typed, "consent": "1"})
        assert refused.status_code == 400 and message in text_of(refused), typed
    assert await CampaignFeedback.all().count() == 1


async def test_contact_details_only_for_staff_who_may_see_them(app, client):
    await send(client, {**RECOMMENDATION, "contact_name": PRIVATE[0],
                        "contact_phone": "0905 123 987", "contact_email": PRIVATE[2],
                        "consent": "1"})
    stored = await CampaignFeedback.get()
    assert (stored.contact_phone, stored.contact_email) == ("0905123987", PRIVATE[2])
    agencies = app.state.intake.reference.agencies.keys()
    await create_user("can-bo@tinh.gov.vn", PASSWORD, "officer", None, agencies)
    await create_user("bcd389@tinh.gov.vn", PASSWORD, "committee", None, agencies)
    await create_user("thanh-tra@qltt.gov.vn", PASSWORD, "inspector", "qltt", agencies)
    seen = {}
    for email in ("can-bo@tinh.gov.vn", "bcd389@tinh.gov.vn", "thanh-tra@qltt.gov.vn"):
        async with browser(app) as person:
            token = await csrf_token(person, "/staff/login")
            await person.post("/staff/login", data={"email": email, "password": PASSWORD,
                                                    "next": "/staff/queue", "csrf_token": token})
            seen[email] = await person.get("/staff/campaign")
    assert "Nước mắm Nha Trang 40 độ đạm" in seen["can-bo@tinh.gov.vn"].text
    assert PRIVATE[2] in seen["can-bo@tinh.gov.vn"].text
    committee = seen["bcd389@tinh.gov.vn"]
    assert committee.status_code == 200 and "Nước mắm Nha Trang" in committee.text
    assert PRIVATE[2] not in committee.text  # no personal-data grant
    assert seen["thanh-tra@qltt.gov.vn"].status_code == 403  # an agency's inspector: not theirs
    for page in ("/", "/open-data", "/open-data/monthly.json", "/warnings", "/check?code=1"):
        shown = (await client.get(page)).text
        assert not any(value in shown for value in PRIVATE), page


async def test_the_committees_report_counts_them_and_an_agencys_does_not(app):
    reference: ReferenceData = app.state.intake.reference
    calendar = reference.calendar
    month = calendar.month(dt.datetime.now(VIETNAM).date() - dt.timedelta(days=70))
    inside = vn(month.first_day.year, month.first_day.month, month.first_day.day, 9, 0)
    for kind in ("product", "product", "shop", "suggestion"):
        made = await CampaignFeedback.create(kind=kind, body="Hàng Việt tốt")
        await CampaignFeedback.filter(id=made.id).update(created_at=inside)
    await CampaignFeedback.create(kind="shop", body="Hôm nay")  # outside the month
    await make("C1", inside)

    report, _ = await period_report_and_tallies(month, calendar=calendar)
    words = reference.translator("vi")
    [campaign] = [section for section in sections(report, reference.agencies, words)
                  if section.key == "campaign"]
    assert [(line.label, line.current) for line in campaign.lines] == [
        ("Góp ý", 1), ("Giới thiệu sản phẩm Việt chất lượng", 2),
        ("Giới thiệu cửa hàng bán hàng Việt chất lượng", 1), ("Tổng cộng", 4)]
    situation, *_ = narrative(report, reference.agencies, words)
    assert any("người dân đã gửi Cuộc vận động 4 ý kiến" in text for text in situation)
    agency_report, _ = await period_report_and_tallies(month, "qltt", calendar)
    assert all(section.key != "campaign"
               for section in sections(agency_report, reference.agencies, words))


async def test_open_data_publishes_the_monthly_counts(app, client):
    calendar = app.state.intake.reference.calendar
    today = dt.datetime.now(VIETNAM).date()
    # The latest published month: the page shows its tables.
    month = due_months(calendar, today, today - dt.timedelta(days=70))[-1]
    inside = vn(month.first_day.year, month.first_day.month, month.first_day.day, 9, 0)
    await make("OD1", inside)
    for kind in ("shop", "shop"):
        made = await CampaignFeedback.create(kind=kind, body="Sạp bán hàng Việt",
                                             contact_email=PRIVATE[2])
        await CampaignFeedback.filter(id=made.id).update(created_at=inside)
    text = (await client.get("/open-data/monthly.csv")).content.decode("utf-8-sig")
    rows = {(r["month"], r["breakdown"], r["code"]): r for r in csv.DictReader(io.StringIO(text))}
    assert rows[(month.label, "campaign", "shop")]["received"] == "2"
    assert (month.label, "campaign", "product") not in rows  # none: no row, as elsewhere
    assert rows[(month.label, "campaign", "shop")]["name_vi"] == (
        "Giới thiệu cửa hàng bán hàng Việt chất lượng")
    assert PRIVATE[2] not in text and "Sạp bán hàng Việt" not in text
    page = text_of(await client.get("/open-data"))
    assert "Cuộc vận động: góp ý và giới thiệu hàng Việt" in page


async def test_a_filled_hidden_field_sends_nothing(app, client):
    answer = await send(client, {**RECOMMENDATION, "website": "http://spam.example"})
    assert answer.status_code == 400
    assert "Ô “Để trống ô này” đã có nội dung" in text_of(answer)
    assert not await CampaignFeedback.exists()
