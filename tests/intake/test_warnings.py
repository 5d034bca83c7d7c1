"""Product warnings (issue 39): a lead drafts one, it stays off every public page until a second
person approves it, then it shows on /check, /genuine, the report form and the feeds (the Atom
feed read by feedparser, as feed readers read it), and it is withdrawn with its reason kept.
Every step is in the audit trail. On both databases."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import feedparser
import httpx
import pytest

from tests.conftest import browser
from tests.helpers import csrf_token, jpeg_with_gps, one_page_pdf
from workflows.access.accounts import create_user
from workflows.audit.models import AuditEvent
from workflows.warnings.models import ProductWarning

PASSWORD = "mật-khẩu-đủ-dài-1"
AGENCIES = {"qltt", "khcn", "bvntd", "syt", "snnmt", "pc03"}
WARNING = {
    "product_name": "Nước mắm Hưng Thịnh chai 500 ml",
    "brand": "Hưng Thịnh",
    "barcode": "8934588063053",
    "batch": "L2611",
    "body": "Nhãn in mờ, nắp không có tem 7 màu. Không mua, báo cho Chi cục.",
    "legal_basis": "Kết quả kiểm nghiệm số 12/KN ngày 01/11/2026",
}


@pytest.fixture
async def staff(app) -> dict[str, str]:
    """Two leads of the market-management office, a lead of another agency, an officer and
    an inspector: their sign-in names."""
    people = {"lead": ("truong-phong@qltt.gov.vn", "lead", "qltt"),
              "second_lead": ("pho-phong@qltt.gov.vn", "lead", "qltt"),
              "khcn_lead": ("truong-phong@khcn.gov.vn", "lead", "khcn"),
              "officer": ("can-bo@tinh.gov.vn", "officer", None),
              "inspector": ("thanh-tra@qltt.gov.vn", "inspector", "qltt")}
    for email, role, agency in people.values():
        await create_user(email, PASSWORD, role, agency, AGENCIES)
    return {key: email for key, (email, _, _) in people.items()}


@asynccontextmanager
async def as_person(app, email: str) -> AsyncIterator[httpx.AsyncClient]:
    async with browser(app) as client:
        token = await csrf_token(client, "/staff/login")
        signed = await client.post("/staff/login", data={
            "email": email, "password": PASSWORD, "next": "/staff/warnings", "csrf_token": token})
        assert signed.status_code == 303, signed.text[:300]
        yield client


async def drafted(app, email: str, photos: list[tuple[str, bytes, str]] | None = None,
                  **changes: str) -> httpx.Response:
    async with as_person(app, email) as person:
        token = await csrf_token(person, "/staff/warnings")
        files = [("photos", photo) for photo in photos or []] or [
            ("photos", ("", b"", "application/octet-stream"))]  # a file input left empty
        return await person.post("/staff/warnings", files=files,
                                 data={**WARNING, **changes, "csrf_token": token})


async def step(app, email: str, warning_id: int, name: str, reason: str = "") -> httpx.Response:
    async with as_person(app, email) as person:
        token = await csrf_token(person, "/staff/warnings")
        return await person.post(f"/staff/warnings/{warning_id}", data={
            "step": name, "reason": reason, "csrf_token": token})


def text_of(page: httpx.Response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


async def public_places(client: httpx.AsyncClient) -> dict[str, str]:
    """Where a warning about the product could show, as the public sees each."""
    return {
        "check": text_of(await client.get("/check", params={"code": WARNING["barcode"]})),
        "genuine": text_of(await client.get("/genuine")),
        "warnings": text_of(await client.get("/warnings")),
        "json": (await client.get("/warnings.json")).text,
        "atom": (await client.get("/warnings.atom")).text,
        "form": text_of(await client.get("/report/genuine", params={"brand": "hung thinh"})),
        "form_by_barcode": text_of(await client.get(
            "/report/genuine", params={"brand": "", "barcode": "8 934588 063053"})),
    }


async def test_a_warning_is_public_only_once_a_second_person_approves_it(app, client, staff):
    answer = await drafted(app, staff["lead"])
    assert answer.status_code == 303
    warning = await ProductWarning.get()
    assert (warning.status, warning.agency_code) == ("draft", "qltt")
    assert warning.brand_key == "hungthinh" and warning.barcode_key == "08934588063053"
    for place, shown in (await public_places(client)).items():
        assert "Hưng Thịnh" not in shown, place  # a draft is nowhere public
    assert (await client.get(f"/warnings/{warning.id}")).status_code == 404

    # The one who drafted it cannot approve it, even by posting the step by hand.
    own = await step(app, staff["lead"], warning.id, "approve")
    assert own.status_code == 409
    assert "cần một lãnh đạo hoặc cán bộ tiếp nhận khác phê duyệt" in text_of(own)
    assert (await ProductWarning.get()).status == "draft"
    # Nor can an inspector, or the lead of another agency.
    async with as_person(app, staff["inspector"]) as inspector:
        assert (await inspector.get(f"/staff/warnings/{warning.id}")).status_code == 403
    other = await step(app, staff["khcn_lead"], warning.id, "approve")
    assert other.status_code == 404  # another agency's warnings are not in its list either

    approved = await step(app, staff["second_lead"], warning.id, "approve")
    assert approved.status_code == 303
    shown = await public_places(client)
    for place in ("check", "genuine", "warnings", "form", "form_by_barcode"):
        assert "Nhãn in mờ, nắp không có tem 7 màu" in shown[place], place
    assert "Kết quả kiểm nghiệm số 12/KN" in shown["check"]
    [listed] = (await client.get("/warnings.json")).json()
    assert (listed["status"], listed["barcode"], listed["agency"]) == (
        "published", WARNING["barcode"], "qltt")
    assert listed["url"].endswith(f"/warnings/{warning.id}")

    feed = feedparser.parse(shown["atom"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    [entry] = feed.entries
    assert entry.title == "Nước mắm Hưng Thịnh chai 500 ml — Hưng Thịnh"
    assert "Nắp không có tem" in entry.summary or "nắp không có tem" in entry.summary
    assert entry.link.endswith(f"/warnings/{warning.id}")

    actions = await AuditEvent.filter(action__startswith="warning_").order_by("seq").values_list(
        "action", "actor_id")
    assert [action for action, _ in actions] == ["warning_drafted", "warning_published"]
    assert actions[0][1] != actions[1][1]  # two people


async def test_a_withdrawal_needs_a_reason_and_keeps_it_in_the_feeds(app, client, staff):
    await drafted(app, staff["officer"], agency="qltt")
    warning = await ProductWarning.get()
    assert (await step(app, staff["lead"], warning.id, "approve")).status_code == 303
    silent = await step(app, staff["officer"], warning.id, "withdraw", "   ")
    assert silent.status_code == 400
    assert "Hãy nêu lý do thu hồi cảnh báo" in text_of(silent)
    assert (await ProductWarning.get()).status == "published"

    reason = "Kết quả kiểm nghiệm lại: lô L2611 là hàng thật <b>đã xác minh</b>"
    assert (await step(app, staff["officer"], warning.id, "withdraw", reason)).status_code == 303
    shown = await public_places(client)
    # No longer a standing warning where people check or report the product...
    for place in ("check", "genuine", "form", "form_by_barcode"):
        assert "Nhãn in mờ" not in shown[place], place
    # ...but the list and the feeds say it was withdrawn, and why.
    assert "Đã thu hồi" in shown["warnings"] and "lô L2611 là hàng thật" in shown["warnings"]
    assert "<b>đã xác minh</b>" not in (await client.get("/warnings")).text  # escaped
    [listed] = (await client.get("/warnings.json")).json()
    assert (listed["status"], listed["withdraw_reason"]) == ("withdrawn", reason)
    feed = feedparser.parse(shown["atom"])
    assert not feed.bozo
    assert feed.entries[0].title.startswith("Đã thu hồi: ")
    assert ET.fromstring(shown["atom"].encode()).tag == "{http://www.w3.org/2005/Atom}feed"
    assert await AuditEvent.filter(action="warning_withdrawn", reason=reason).exists()


async def test_a_late_second_approval_is_refused_and_publishes_nothing_twice(app, staff):
    await drafted(app, staff["lead"])
    warning = await ProductWarning.get()
    first = await step(app, staff["second_lead"], warning.id, "approve")
    late = await step(app, staff["officer"], warning.id, "approve")
    assert first.status_code == 303
    assert late.status_code == 409
    assert "đã có người quyết định về cảnh báo này" in text_of(late)
    assert await AuditEvent.filter(action="warning_published").count() == 1


async def test_a_draft_is_checked_field_by_field_and_keeps_what_was_typed(app, staff):
    answer = await drafted(app, staff["lead"], product_name=" ", legal_basis="",
                           brand="", barcode="", body="Nhãn giả <script>")
    assert answer.status_code == 400
    shown = text_of(answer)
    assert "Hãy ghi tên sản phẩm được cảnh báo." in shown
    assert "Hãy ghi căn cứ pháp lý" in shown
    assert "Nhãn giả &lt;script&gt;" in answer.text  # what was typed, escaped
    assert not await ProductWarning.exists()
    # An officer speaks for no agency until one is chosen.
    officer = await drafted(app, staff["officer"], agency="")
    assert "Hãy chọn cơ quan đứng tên cảnh báo." in text_of(officer)
    # Brand or barcode: without either, no one checking a product would find it.
    nameless = await drafted(app, staff["lead"], brand="", barcode="")
    assert "Hãy ghi nhãn hiệu hoặc mã vạch" in text_of(nameless)
    assert not await ProductWarning.exists()


async def test_an_inspector_and_visitors_cannot_draft(app, client, staff):
    async with as_person(app, staff["inspector"]) as inspector:
        assert (await inspector.get("/staff/warnings")).status_code == 403
    anonymous = await client.get("/staff/warnings")
    assert anonymous.status_code == 303 and "/staff/login" in anonymous.headers["location"]


@pytest.mark.parametrize("typed", ["8" * 40, "x" * 600, "  ", "🙂" * 20])
async def test_an_odd_barcode_on_the_form_finds_no_warning_and_breaks_nothing(client, typed):
    answer = await client.get("/report/genuine", params={"brand": "", "barcode": typed})
    assert answer.status_code == 200 and "product-warning" not in answer.text
    check = await client.get("/check", params={"code": typed})
    assert check.status_code in (200, 400)


async def test_a_warnings_photos_are_public_with_it_and_not_before(app, client, staff):
    answer = await drafted(app, staff["lead"], photos=[("nap.jpg", jpeg_with_gps(), "image/jpeg")])
    assert answer.status_code == 303
    warning = await ProductWarning.get()
    [photo] = await warning.photos.all()
    address = f"/warnings/{warning.id}/photos/{photo.id}"
    assert (await client.get(address)).status_code == 404  # a draft's photo is not public
    async with as_person(app, staff["second_lead"]) as second:
        page = await second.get(f"/staff/warnings/{warning.id}")
        assert f"/staff/warnings/{warning.id}/photos/{photo.id}" in page.text
        assert (await second.get(f"/staff/warnings/{warning.id}/photos/{photo.id}")
                ).status_code == 200
    await step(app, staff["second_lead"], warning.id, "approve")
    shown = await client.get(address)
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
    assert b"GPS" not in shown.content  # stored without its location, as citizens' photos
    assert address in (await client.get("/warnings")).text
    [listed] = (await client.get("/warnings.json")).json()
    assert listed["photos"] == [f"{listed['url']}/photos/{photo.id}"]
    [entry] = feedparser.parse((await client.get("/warnings.atom")).text).entries
    assert [link.href for link in entry.links if link.rel == "enclosure"] == listed["photos"]


async def test_a_document_or_too_many_photos_store_nothing(app, staff):
    pdf = await drafted(app, staff["lead"], photos=[("kq.pdf", one_page_pdf(), "application/pdf")])
    assert pdf.status_code == 400 and "Cảnh báo chỉ kèm ảnh" in text_of(pdf)
    many = await drafted(app, staff["lead"],
                         photos=[(f"{n}.jpg", jpeg_with_gps(), "image/jpeg") for n in range(6)])
    assert many.status_code == 400
    assert not await ProductWarning.exists()


async def test_a_batch_code_on_check_finds_its_warning(app, client, staff):
    await drafted(app, staff["lead"], barcode="", batch="L2309A")
    warning = await ProductWarning.get()
    await step(app, staff["second_lead"], warning.id, "approve")
    shown = text_of(await client.get("/check", params={"code": "l2309a"}))
    assert "Nhãn in mờ, nắp không có tem 7 màu" in shown


async def test_no_warning_speaks_for_the_police(app, staff):
    """Nothing public names the police unit (a seller whose case is with it would learn so)."""
    async with as_person(app, staff["officer"]) as officer:
        form = await officer.get("/staff/warnings")
    assert 'value="pc03"' not in form.text and 'value="qltt"' in form.text
    refused = await drafted(app, staff["officer"], agency="pc03")
    assert refused.status_code == 400 and "Hãy chọn cơ quan đứng tên cảnh báo." in text_of(refused)
    # The police's own lead is offered neither the menu nor the form, and is told why.
    police_lead = "lanh-dao@pc03.gov.vn"
    await create_user(police_lead, PASSWORD, "lead", "pc03", AGENCIES)
    async with as_person(app, police_lead) as lead:
        queue = await lead.get("/staff/queue")
        page = await lead.get("/staff/warnings")
    assert queue.status_code == 200 and 'href="/staff/warnings"' not in queue.text
    assert 'action="/staff/warnings' not in page.text
    assert "không nội dung công khai nào nêu tên cơ quan công an" in text_of(page)
    posted = await drafted(app, police_lead)
    assert posted.status_code == 403
    assert "không nội dung công khai nào nêu tên cơ quan công an" in text_of(posted)
    assert not await ProductWarning.exists()


@pytest.mark.parametrize("field", ["barcode", "batch"])
async def test_a_code_not_as_printed_is_refused_beside_its_box(app, staff, field):
    answer = await drafted(app, staff["lead"], **{field: "ß" * 17})
    assert answer.status_code == 400
    assert "Hãy nhập các chữ số và chữ cái in trên bao bì." in text_of(answer)
    assert not await ProductWarning.exists()


async def test_an_empty_feed_is_as_new_as_the_day_it_is_read(client):
    """Before any warning, a feed reader sees a valid feed dated today, not 1 January 1970."""
    feed = feedparser.parse((await client.get("/warnings.atom")).text)
    assert not feed.bozo and feed.entries == []
    read = dt.datetime(*feed.feed.updated_parsed[:6], tzinfo=dt.UTC)
    assert abs(read - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
