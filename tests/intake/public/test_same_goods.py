""""I saw this too", over HTTP, every mail received by a real SMTP server: a second citizen
naming the barcode, the shop (in the same commune or ward) or the online page of an open case
is offered to add to it — without JavaScript as a step after the first submit, with it from
/report/similar — and their note and photos join that case, which counts them once; the agency
is told, they get the outcome, the statistics count them. The offer says only that a similar
report is being handled: no tracking code, no words anyone typed, no kind, status, date or
count, and its choice carries the case encrypted; it is made only for a report that could be
filed, counted as a look-up and against the goods themselves, of a case with the police as of
any other; a forged choice, or one of a case about other goods or no longer open, stores
nothing."""

from __future__ import annotations

import base64
import re

import httpx
import pytest

from tests.helpers import REPORTER, VALID_REPORT, csrf_token, jpeg_with_gps, wait_for
from tests.intake.public.test_pages import file_and_read_receipt
from tests.intake.test_conversation import app as app  # noqa: F401 (the fixture: staff, mail)
from tests.intake.test_conversation import assigned_case, post, staff
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case
from workflows.parties.models import SupportingReport

SECOND = {"reporter_email": "ban-hang-xom@example.vn", "consent": "1", "street": "Cổng phía Bắc",
          "description": "Tôi cũng mua chai nước mắm này ở sạp 12, nắp không có tem."}
FIRST_REPORTERS_TRACES = (REPORTER["reporter_name"], REPORTER["reporter_email"],
                          REPORTER["reporter_phone"], VALID_REPORT["description"],
                          VALID_REPORT["street"])


def choices(page: str) -> list[str]:
    """The offer's radio values but "new": the encrypted case."""
    return [value for value in re.findall(r'name="join_case" value="([^"]+)"', page)
            if value != "new"]


def assert_says_only_that_one_exists(page: str, first: str) -> None:
    """The offer: that a similar report is being handled, and nothing of it."""
    offer = re.search(r'<fieldset class="same-goods.*?</fieldset>', page, re.S).group(0)
    assert "Đã có một phản ánh tương tự đang được xử lý" in offer
    case_words = ("Hàng giả", "Thực phẩm", "cùng mã vạch", "cùng cửa hàng", "cùng trang",
                  "Đã phân công", "Đang xử lý", "Đã tiếp nhận", "người khác", "/2026")
    for trace in (*FIRST_REPORTERS_TRACES, first, f"{first[:5]}-{first[5:]}",
                  VALID_REPORT["product_name"], VALID_REPORT["brand"], *case_words):
        assert trace not in offer, trace
    [choice] = choices(offer)
    # A Fernet token (version byte 0x80): the case inside cannot be read, unlike a signature.
    assert base64.urlsafe_b64decode(choice)[0] == 0x80 and "." not in choice


async def send(client: httpx.AsyncClient, fields: dict[str, str],
               photos: list | None = None) -> httpx.Response:
    """The form as a browser without JavaScript sends it (no choice made unless given)."""
    token = await csrf_token(client)
    return await client.post("/report", data={"csrf_token": token, **fields},
                             files=photos or [("photos", ("", b"", "application/octet-stream"))])


@pytest.mark.parametrize("same", [
    {"barcode": VALID_REPORT["barcode"], "shop_name": "Cửa hàng khác"},
    {"barcode": "", "shop_name": "  SẠP SỐ   12 "},  # the same shop, however it is typed
    {"barcode": "8 934588 063053", "shop_name": "Cửa hàng khác"},  # as printed under the bars
])
async def test_without_javascript_the_offer_is_a_step_and_the_report_joins(
        client, app, smtp_server, same):
    first, _ = await assigned_case(client, app)
    offered = await send(client, {**VALID_REPORT, **SECOND, **same})
    assert offered.status_code == 200 and 'name="join_case"' in offered.text
    [choice] = choices(offered.text)
    assert SECOND["description"] in offered.text  # the form, as typed
    assert_says_only_that_one_exists(offered.text, first)
    assert await Case.all().count() == 1  # nothing filed yet

    photo = [("photos", ("nap-chai.jpg", jpeg_with_gps(), "image/jpeg"))]
    joined = await send(client, {**VALID_REPORT, **SECOND, **same, "join_case": choice}, photo)
    assert joined.status_code == 303 and joined.headers["location"] == "/report/joined"
    thanks = await client.get(joined.headers["location"])
    assert "đã được bổ sung vào phản ánh" in thanks.text and first not in thanks.text
    assert await Case.all().count() == 1
    case = await Case.get(tracking_code=first)
    assert case.supporters == 1 and case.new_info_at is not None
    [support] = await SupportingReport.filter(case_id=case.id)
    assert support.note == SECOND["description"]
    [photo_row] = await Attachment.filter(supporting_report_id=support.id)
    assert photo_row.added_by == "supporter"
    assert await AuditEvent.filter(case_id=case.id, action="supporting_report").count() == 1
    # The same person again (the same network, another address): kept, counted once.
    again = await send(client, {**VALID_REPORT, **SECOND, **same, "join_case": choice,
                                "reporter_email": "lan-nua@example.vn"})
    assert again.status_code == 303
    assert (await Case.get(id=case.id)).supporters == 1
    assert await SupportingReport.filter(case_id=case.id).count() == 2

    # The inspector is told; the staff page counts and shows the addition.
    await wait_for(lambda: any("phản ánh cùng hàng hóa" in mail.part("plain")
                               for mail in smtp_server.handler.to("thanh-tra@qltt.gov.vn")))
    async with staff(app, "qltt") as inspector:
        page = (await inspector.get(f"/staff/cases/{first}")).text
        assert re.search(r'id="supporters">1<', page) and SECOND["description"] in page
        # The outcome reaches the second citizen too.
        await post(inspector, first, action="start")
        resolved = await post(inspector, first, action="resolve", outcome="violation_confirmed",
                              public_outcome="Đã xử phạt sạp số 12, tịch thu 40 chai.")
        assert resolved.status_code == 303
    await wait_for(lambda: any("tịch thu 40 chai" in mail.part("plain")
                               for mail in smtp_server.handler.to(SECOND["reporter_email"])))
    async with staff(app, "analyst") as analyst:
        stats = (await analyst.get("/staff/stats")).text
        assert re.search(r'id="supporting-reports">[^<]*: 1 ', stats)


async def similar(client: httpx.AsyncClient, fields: dict[str, str]) -> httpx.Response:
    """What the form's script sends: the form's words, with its CSRF token."""
    return await client.post("/report/similar",
                             data={"csrf_token": await csrf_token(client), **fields})


async def test_the_script_gets_the_offer_once_the_form_could_be_sent(client, app):
    online = {"sales_channel": "online", "platform": "Shopee",
              "online_url": "https://shopee.vn/nuoc-mam-12"}
    first, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **online,
                                                       "join_case": "new"})
    # The same page, shared from the app by someone else: the link is spelt otherwise.
    shared = "http://m.shopee.vn/nuoc-mam-12/?sp_atk=9f2c&utm_source=zalo&share_from=0905"
    found = await similar(client, {**VALID_REPORT, **SECOND, **online, "barcode": "",
                                   "online_url": shared})
    assert found.status_code == 200 and len(choices(found.text)) == 1
    assert_says_only_that_one_exists(found.text, first)
    again = await similar(client, {**VALID_REPORT, **SECOND, **online, "barcode": "",
                                   "online_url": shared})
    assert choices(again.text) != choices(found.text)  # the same case, never the same value
    assert "<html" not in found.text  # a fragment for the form, not a page
    # Only the goods or seller typed make a match; an unfinished form gets no offer at all.
    for fields in ({**VALID_REPORT, **SECOND, **online, "barcode": "", "shop_name": "Khác",
                    "online_url": "https://shopee.vn/khac"},
                   {**VALID_REPORT, **SECOND, "barcode": "8930000000000", "shop_name": "Khác"},
                   {**VALID_REPORT, **SECOND, "commune": "Phường Cam Ranh", "barcode": ""},
                   {"barcode": VALID_REPORT["barcode"]},  # a seller probing with one field
                   {**VALID_REPORT, "barcode": "8" * 40}):  # too long: a message, not a 500
        assert not choices((await similar(client, fields)).text)
    assert (await client.post("/report/similar", data=VALID_REPORT)).status_code == 400  # CSRF
    long_barcode = await send(client, {**VALID_REPORT, "barcode": "8" * 40, "join_case": "new"})
    assert long_barcode.status_code == 400 and 'id="barcode-error"' in long_barcode.text


@pytest.mark.parametrize("typed", ["sạp Hòa Bình", "SẠP HOÀ BÌNH", "sap hoa binh"])
async def test_a_shop_is_the_same_however_its_name_is_accented(client, app, typed):
    """Old and new tone placement ("Hoà", "Hòa"), capitals and no diacritics: one shop."""
    first, _ = await assigned_case(client, app, {"shop_name": "Sạp Hoà Bình"})
    other_goods = {"barcode": "", "online_url": "", "shop_name": typed}
    offered = await send(client, {**VALID_REPORT, **SECOND, **other_goods})
    assert offered.status_code == 200 and choices(offered.text)
    elsewhere = {**other_goods, "commune": "Phường Bắc Nha Trang"}  # another ward's shop
    filed = await send(client, {**VALID_REPORT, **SECOND, **elsewhere})
    assert filed.status_code == 303 and filed.headers["location"].startswith("/receipt/")


@pytest.mark.parametrize("typed", ["Sạp Hoà Bính", "Sạp Hòa Bỉnh", "Sạp Hóa Bình"])
async def test_a_shop_whose_letters_differ_is_another_shop(client, app, typed):
    """Another tone on a letter is another name: the offer would join two sellers' reports."""
    await assigned_case(client, app, {"shop_name": "Sạp Hoà Bình"})
    other_goods = {"barcode": "", "online_url": "", "shop_name": typed}
    filed = await send(client, {**VALID_REPORT, **SECOND, **other_goods})
    assert filed.status_code == 303 and filed.headers["location"].startswith("/receipt/")


async def test_a_case_in_the_triage_queue_is_not_offered(client, app):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, "join_case": "new"})
    await Case.filter(tracking_code=code).update(agency_code=None)
    assert not choices((await send(client, {**VALID_REPORT, **SECOND})).text)


async def test_offers_are_look_ups(settings, smtp_server):
    """Each offer counts against the address's look-ups: once they are used up, the report is
    filed as a new one (nothing is learnt for free)."""
    from dataclasses import replace

    from tests.conftest import browser, running_app
    async with running_app(replace(settings, track_rate_limit=2)) as limited, \
            browser(limited) as citizen:
        await file_and_read_receipt(citizen, {**VALID_REPORT, "join_case": "new"})
        # The receipt was one look-up; this offer is the second.
        assert choices((await send(citizen, {**VALID_REPORT, **SECOND})).text)
        filed = await send(citizen, {**VALID_REPORT, **SECOND})
        assert filed.status_code == 303 and filed.headers["location"].startswith("/receipt/")
        assert (await similar(citizen, {**VALID_REPORT, **SECOND})).status_code == 429


async def test_choosing_new_files_a_report_of_its_own(client, app):
    first, _ = await assigned_case(client, app)
    filed = await send(client, {**VALID_REPORT, **SECOND, "join_case": "new"})
    assert filed.status_code == 303 and filed.headers["location"].startswith("/receipt/")
    assert await Case.all().count() == 2
    assert (await Case.get(tracking_code=first)).supporters == 0


async def test_a_case_about_other_goods_or_closed_cannot_be_joined(client, app):
    first, _ = await assigned_case(client, app)
    other, _, _ = await file_and_read_receipt(client, {
        **VALID_REPORT, "join_case": "new", "barcode": "", "shop_name": "Tạp hóa Hoa",
        "product_name": "Dầu gội Clear 650 g"})
    elsewhere = {**VALID_REPORT, **SECOND, "barcode": "", "shop_name": "Sạp số 40"}
    offered = await send(client, {**VALID_REPORT, **SECOND,
                                  "barcode": "", "shop_name": "Tạp hóa Hoa"})
    [other_choice] = choices(offered.text)
    refused = await send(client, {**elsewhere, "join_case": other_choice})
    assert refused.status_code == 400 and "không còn đang xử lý hoặc về hàng hóa khác" in refused.text
    assert SECOND["description"] in refused.text
    [first_choice] = choices((await send(client, {**VALID_REPORT, **SECOND})).text)
    await Case.filter(tracking_code=first).update(status="resolved")
    closed = await send(client, {**VALID_REPORT, **SECOND, "join_case": first_choice})
    assert closed.status_code == 400
    for forged in (first, "new-but-not", first_choice[:-2] + "xx"):
        assert (await send(client, {**VALID_REPORT, **SECOND, "join_case": forged})
                ).status_code == 400
    assert not await SupportingReport.exists()
    assert await Case.filter(supporters__gt=0).count() == 0
    # A mistake in the form comes first, with the choice kept to make again.
    typo = await send(client, {**VALID_REPORT, **SECOND, "description": "",
                               "join_case": other_choice})
    assert typo.status_code == 400 and 'id="description-error"' in typo.text


async def test_a_case_with_the_police_is_offered_as_before(client, app):
    """A seller probing its own shop must not see the offer stop the moment its case goes to
    the police: the offer is the same, and the citizen may still add to the case."""
    first, _ = await assigned_case(client, app)
    assert choices((await similar(client, {**VALID_REPORT, **SECOND})).text)
    async with staff(app, "qltt_lead") as lead:
        referred = await post(lead, first, action="refer_to_police", reason="Dấu hiệu tội phạm.")
        assert referred.status_code == 303
    offered = await similar(client, {**VALID_REPORT, **SECOND})
    assert_says_only_that_one_exists(offered.text, first)
    [choice] = choices((await send(client, {**VALID_REPORT, **SECOND})).text)
    joined = await send(client, {**VALID_REPORT, **SECOND, "join_case": choice})
    assert joined.status_code == 303 and joined.headers["location"] == "/report/joined"
    assert (await Case.get(tracking_code=first)).supporters == 1


async def test_probing_one_shop_from_many_addresses_soon_gets_no_offer(client, app):
    """Each offer is charged to the goods as well as to the address: a seller asking about
    its shop from 25 addresses is offered the case 20 times, then never in that hour — and a
    citizen naming other goods is still offered theirs."""
    from tests.conftest import browser

    await assigned_case(client, app)
    probe = {**VALID_REPORT, **SECOND, "barcode": ""}  # the shop alone
    offered = []
    for n in range(25):
        async with browser(app, client=(f"203.0.113.{n + 1}", 4000)) as seller:
            offered.append(bool(choices((await similar(seller, probe)).text)))
    assert offered == [True] * 20 + [False] * 5
    online = {"sales_channel": "online", "platform": "Shopee", "barcode": "",
              "online_url": "https://shopee.vn/nuoc-mam-khac-99"}
    await file_and_read_receipt(client, {**VALID_REPORT, **online, "join_case": "new"})
    async with browser(app, client=("198.51.100.9", 4000)) as citizen:
        assert choices((await similar(citizen, {**VALID_REPORT, **SECOND, **online})).text)
