from __future__ import annotations

import base64
import hashlib
import io
import re
import zlib

import httpx
import pytest
from PIL import ExifTags, Image
from tortoise import connections

from intake.settings import Settings
from tests.conftest import browser
from tests.helpers import (
    MINIMAL_PDF,
    PE_EXECUTABLE,
    REPORTER,
    VALID_REPORT,
    csrf_token,
    jpeg_with_gps,
    png_bytes,
    post_report,
)
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case
from workflows.reference.loading import load_reference
from workflows.reference.routing import RoutingFacts, route

CODE_ON_RECEIPT = re.compile(r'id="tracking-code">([0-9A-Z]{5}-[0-9A-Z]{5})<')
PIN_ON_RECEIPT = re.compile(r'id="pin">(\d{4} \d{4})<')


async def file_and_read_receipt(client: httpx.AsyncClient, fields: dict[str, str] | None = None,
                                files=None) -> tuple[str, str, httpx.Response]:
    response = await post_report(client, fields, files)
    assert response.status_code == 303, response.text
    receipt = await client.get(response.headers["location"])
    assert receipt.status_code == 200
    code = CODE_ON_RECEIPT.search(receipt.text).group(1)
    pin = PIN_ON_RECEIPT.search(receipt.text).group(1)
    return code.replace("-", ""), pin.replace(" ", ""), receipt


def stored_files(settings: Settings) -> list:
    root = settings.attachments_dir
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


async def test_a_citizen_files_a_report_with_a_photo_and_tracks_it(client, settings):
    code, pin, receipt = await file_and_read_receipt(
        client, {**VALID_REPORT, **REPORTER}, [("chai-nuoc-mam.jpg", jpeg_with_gps(), "image/jpeg")])

    assert "Cảm ơn" in receipt.text and "Chi cục Quản lý thị trường" in receipt.text
    assert receipt.headers["cache-control"] == "no-store"
    case = await Case.get(tracking_code=code)
    assert case.agency_code == "qltt"
    # The shipped rules decide, as they read today (not restated here).
    decided = route(RoutingFacts(case.category, case.product_group, case.sales_channel,
                                 case.commune), load_reference(settings.config_dir).rules)
    assert case.routing_reason == decided.reason and decided.agency_code == "qltt"
    assert decided.rule_id and decided.rule_id in case.routing_reason
    assert case.status == "received" and case.intake_channel == "web"
    assert case.due_at is not None and case.due_at > case.created_at
    assert await Attachment.filter(case=case).count() == 1

    track = await client.get("/track", params={"code": f"{code[:5]}-{code[5:]}".lower()})
    assert track.status_code == 200
    assert "Đã tiếp nhận" in track.text and "Hàng giả" in track.text

    actions = await AuditEvent.filter(case=case).order_by("seq").values_list("action", "reason")
    assert actions == [("created", ""), ("routed", decided.reason)]


async def test_the_pin_is_shown_once_and_only_to_the_browser_that_filed(client, app):
    code, pin, _ = await file_and_read_receipt(client)
    async with browser(app) as other_browser:
        receipt = await other_browser.get(f"/receipt/{code}")
    assert receipt.status_code == 200
    assert pin not in receipt.text and code[:5] in receipt.text
    reloaded = await client.get(f"/receipt/{code}")
    assert code[:5] in reloaded.text and not PIN_ON_RECEIPT.search(reloaded.text)


async def test_the_receipt_cookie_holds_no_readable_pin(client, app):
    """Whoever sees the cookie (a shared phone's browser, a proxy's log) cannot read the PIN
    from it, in any of its parts however decoded; and a copy of it made for another
    purpose, or altered, shows no PIN."""
    filed = await post_report(client, VALID_REPORT)
    cookie = filed.cookies["intake_receipt"]
    receipt = await client.get(filed.headers["location"])
    pin = PIN_ON_RECEIPT.search(receipt.text).group(1).replace(" ", "")
    for part in [cookie, *re.split(r"[.:]", cookie)]:
        padded = part + "=" * (-len(part) % 4)
        for decoded in (part.encode(), base64.urlsafe_b64decode(padded.encode())):
            assert pin.encode() not in decoded
            if decoded.startswith(b"x\x9c"):  # itsdangerous compresses long values
                assert pin.encode() not in zlib.decompress(decoded)
    async with browser(app) as forger:
        forger.cookies.set("intake_receipt", cookie[:-8] + "AAAAAAA=", path="/receipt")
        shown = await forger.get(filed.headers["location"])
        assert shown.status_code == 200 and not PIN_ON_RECEIPT.search(shown.text)


async def test_vietnamese_text_round_trips_exactly(client):
    fields = {**VALID_REPORT,
              "product_name": "Bánh đậu xanh Rồng Vàng – hộp thiếc 250g",
              "brand": "Hải Dương ƯỚT ỐNG ỹ ữ ặ",
              "description": "Mua ở chợ, vỏ hộp in sai chính tả: “Bánh đậu xanh”.\nGiá 85.000đ."}
    code, _, _ = await file_and_read_receipt(client, fields)
    case = await Case.get(tracking_code=code)
    assert case.product_name == fields["product_name"]
    assert case.brand == fields["brand"]
    assert case.description == fields["description"]
    assert case.price_vnd == 150000


async def test_a_photo_is_stored_without_its_gps_position(client, settings):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    code, _, _ = await file_and_read_receipt(client, files=[("anh.jpg", original, "image/jpeg")])

    attachment = await Attachment.get(case__tracking_code=code)
    [stored_path] = stored_files(settings)
    stored = stored_path.read_bytes()
    assert stored_path.name == attachment.storage_name and "anh" not in stored_path.name
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert not image.getexif() and b"PhoneMaker" not in stored and b"Exif" not in stored[:200]
    # The evidence hash is of the file as the citizen sent it, and is in the audit trail.
    assert attachment.received_sha256 == hashlib.sha256(original).hexdigest()
    created = await AuditEvent.get(case__tracking_code=code, action="created")
    assert created.after["attachments"][0]["sha256"] == attachment.received_sha256


async def test_a_pdf_receipt_and_a_png_are_accepted(client):
    code, _, _ = await file_and_read_receipt(client, files=[
        ("hoa-don.pdf", MINIMAL_PDF, "application/pdf"), ("nhan.png", png_bytes(), "image/png")])
    kinds = await Attachment.filter(case__tracking_code=code).order_by("id").values_list(
        "content_type", flat=True)
    assert kinds == ["application/pdf", "image/png"]


def jpeg(name: str) -> tuple[str, bytes, str]:
    return (name, jpeg_with_gps(), "image/jpeg")


@pytest.mark.parametrize(
    ("change", "files", "field", "message"),
    [
        ({}, [("anh.jpg", PE_EXECUTABLE, "image/jpeg")], "photos",
         "“anh.jpg” không phải là ảnh (JPEG, PNG, WebP) hoặc tệp PDF."),
        ({}, [("lon.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), "image/jpeg")], "photos",
         "“lon.jpg” lớn hơn 10 MB."),
        ({}, [jpeg(f"anh{n}.jpg") for n in range(6)], "photos", "Tối đa 5 tệp (bạn đã chọn 6)."),
        # A phone's gallery, picked whole.
        ({}, [jpeg(f"anh{n}.jpg") for n in range(15)], "photos",
         "Tối đa 5 tệp (bạn đã chọn 15)."),
        ({"category": ""}, [], "category", "Hãy chọn loại vấn đề bạn phản ánh."),
        ({"purchase_date": "31/02/2026"}, [], "purchase_date", "Hãy nhập ngày theo dạng dd/mm/yyyy."),
        ({"price_vnd": "-1"}, [], "price_vnd", "Giá không thể là số âm."),
        ({"purchase_date": "2099-01-01"}, [], "purchase_date",
         "Ngày mua không thể ở trong tương lai."),
        ({"reporter_name": "Lê Văn A\r\nBcc: x@example.com"}, [], "reporter_name",
         "Trường này có ký tự không được phép."),
        ({"quantity": "2,5 kg"}, [], "quantity",
         "Hãy nhập một số nguyên: 2,5 không phải số nguyên. Hãy tính theo đơn vị nhỏ hơn "
         "(500 g thay vì 0,5 kg)."),
    ],
)
async def test_bad_input_gets_a_field_error_keeps_the_values_and_stores_nothing(
        client, settings, change, files, field, message):
    fields = {**VALID_REPORT, **change}
    response = await post_report(client, fields, files)

    assert response.status_code == 400
    assert f'id="{field}-error">{message}</p>' in response.text
    assert 'value="Nước mắm Phú Quốc 500 ml"' in response.text  # what was typed is still there
    assert "Sạp số 12" in response.text
    if files:
        assert "hãy chọn lại ảnh" in response.text
    assert await Case.all().count() == 0
    assert await Attachment.all().count() == 0
    assert await AuditEvent.all().count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("change", "files", "message"),
    [
        ({}, [jpeg(f"anh{n}.jpg") for n in range(16)],
         "Bạn đã chọn quá nhiều tệp nên không đọc được biểu mẫu: chỉ chọn tối đa 5 tệp."),
        ({"description": "Hàng giả " * 8000}, [],
         "Một nội dung trong biểu mẫu quá dài nên không đọc được: chỉ viết tối đa 5000 ký tự."),
    ],
)
async def test_a_form_too_big_to_read_says_why_and_stores_nothing(client, settings, change,
                                                                  files, message):
    """Past what the parser reads, the form cannot be kept: the message says what to change."""
    response = await post_report(client, {**VALID_REPORT, **change}, files)

    assert response.status_code == 400
    assert message in response.text
    assert await Case.all().count() == 0
    assert stored_files(settings) == []


async def test_a_quantity_is_typed_with_its_unit(client):
    """"2 chai" in the quantity box: the number and the unit are kept apart; a decimal is
    refused as not whole, with what was typed still in the box."""
    refused = await post_report(client, {**VALID_REPORT, "quantity": "2,5 kg"})
    assert refused.status_code == 400 and 'value="2,5 kg"' in refused.text
    filed = await post_report(client, {**VALID_REPORT, "quantity": "2 Chai"})
    assert filed.status_code == 303
    case = await Case.get()
    assert (case.quantity, case.quantity_unit) == (2, "chai")


async def test_a_form_without_a_valid_csrf_token_is_refused_and_kept(client):
    response = await client.post("/report", data={**VALID_REPORT, "csrf_token": "forged"},
                                 files=[("photos", ("", b"", "application/octet-stream"))])
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.text
    assert "Nước mắm Phú Quốc 500 ml" in response.text
    assert await Case.all().count() == 0


async def test_public_pages_never_show_the_reporter_or_the_description(client):
    fields = {**VALID_REPORT, **REPORTER}
    code, _, receipt = await file_and_read_receipt(client, fields)
    track = await client.get("/track", params={"code": code})
    api = await client.get(f"/open311/v2/requests/{code}.json")
    for page in (receipt.text, track.text, api.text):
        for secret in ("Nguyễn Thị Hằng", "0912345678", "hang.nguyen@example.vn",
                       fields["description"], "Sạp số 12", "Chợ Đầm"):
            assert secret not in page


async def test_an_unknown_code_is_a_clear_not_found(client):
    response = await client.get("/track", params={"code": "ZZZZZ-ZZZZZ"})
    assert response.status_code == 404
    assert "Không có phản ánh nào mang mã này" in response.text
    assert (await client.get("/receipt/ZZZZZZZZZZ")).status_code == 404


async def test_an_anonymous_reporter_adds_information_with_code_and_pin(client, settings):
    code, pin, _ = await file_and_read_receipt(client)

    token = await csrf_token(client, "/track")
    # Left empty, either is missing, not wrong: the page says what to type, keeps the code.
    for typed, typed_pin in ((code, ""), ("", pin), (" ", " ")):
        empty = await client.post("/track/access", data={"code": typed, "pin": typed_pin,
                                                         "csrf_token": token})
        assert empty.status_code == 400
        assert "Hãy nhập mã tra cứu và mã PIN in trên biên nhận của bạn." in empty.text
        assert "không đúng" not in empty.text
    wrong = await client.post("/track/access", data={"code": code, "pin": "00000000",
                                                     "csrf_token": token})
    assert wrong.status_code == 403 and "Mã hoặc mã PIN không đúng" in wrong.text
    assert (await client.get(f"/track/{code}/reporter")).status_code == 303

    opened = await client.post("/track/access", data={"code": code, "pin": pin,
                                                      "csrf_token": token})
    assert opened.status_code == 303
    page = await client.get(opened.headers["location"])
    assert page.status_code == 200 and "Chưa có tin nhắn" in page.text

    token = await csrf_token(client, f"/track/{code}/reporter")
    added = await client.post(
        f"/track/{code}/reporter",
        data={"body": "Tôi mua thêm một chai ở sạp bên cạnh, cũng giả.", "csrf_token": token},
        files=[("photos", ("chai2.jpg", jpeg_with_gps(), "image/jpeg"))])
    assert added.status_code == 303
    page = await client.get(added.headers["location"])
    assert "Tôi mua thêm một chai ở sạp bên cạnh, cũng giả." in page.text
    assert "chai2.jpg" in page.text
    assert await Attachment.filter(case__tracking_code=code).count() == 1
    assert await AuditEvent.filter(case__tracking_code=code, action="reporter_followup").count() == 1


async def test_ten_wrong_pins_lock_that_address_out_of_the_case_for_a_while(client, app):
    code, pin, _ = await file_and_read_receipt(client)
    token = await csrf_token(client, "/track")
    for _ in range(10):
        wrong = await client.post("/track/access", data={"code": code, "pin": "11111111",
                                                         "csrf_token": token})
        assert wrong.status_code == 403
    locked = await client.post("/track/access", data={"code": code, "pin": pin,
                                                      "csrf_token": token})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 3000
    assert "Nhập sai mã PIN quá nhiều lần" in locked.text
    # A stranger who has the code cannot lock the reporter out: from elsewhere it opens.
    async with browser(app, client=("198.51.100.20", 40000)) as reporter:
        token = await csrf_token(reporter, "/track")
        opened = await reporter.post("/track/access", data={"code": code, "pin": pin,
                                                            "csrf_token": token})
        assert opened.status_code == 303


async def test_the_pages_switch_to_english_and_remember_it(client):
    switched = await client.get("/lang/en", params={"next": "/report"})
    assert switched.status_code == 303 and switched.headers["location"] == "/report"
    page = await client.get("/report")
    assert "Report a product" in page.text and 'lang="en"' in page.text
    assert (await client.get("/lang/en", params={"next": "https://evil.example"})).headers[
        "location"] == "/"


async def test_the_language_switch_comes_back_to_the_same_lookup(client):
    page = await client.get("/track", params={"code": "ABCDE-12345"})
    assert 'href="/lang/en?next=/track%3Fcode%3DABCDE-12345"' in page.text


async def test_the_label_origin_starts_as_not_stated(client):
    page = await client.get("/report")
    assert '<option value="unknown" selected>' in page.text


async def _refuse_attachment_rows() -> None:
    """A database fault in the middle of filing: the attachment INSERT fails."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await connection.execute_script(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$; "
            "CREATE TRIGGER refuse BEFORE INSERT ON attachment "
            "FOR EACH ROW EXECUTE FUNCTION refuse();")
    else:
        await connection.execute_script(
            "CREATE TRIGGER refuse BEFORE INSERT ON attachment "
            "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;")


async def test_a_fault_while_filing_leaves_no_case_no_event_and_no_file(app, settings):
    await _refuse_attachment_rows()
    async with browser(app, raise_app_exceptions=False) as unlucky:
        response = await post_report(unlucky, files=[jpeg("anh.jpg")])
    assert response.status_code == 500
    assert "phản ánh chưa được lưu" in response.text
    assert await Case.all().count() == 0
    assert await AuditEvent.all().count() == 0
    assert stored_files(settings) == []


async def test_track_shows_the_public_outcome_once_the_case_is_resolved(client):
    await post_report(client)
    case = await Case.get()
    await Case.filter(id=case.id).update(status="in_progress", public_outcome="Đã xử phạt <cơ sở>.")
    page = (await client.get("/track", params={"code": case.tracking_code})).text
    assert "Đã xử phạt" not in page  # not before the agency has settled it
    await Case.filter(id=case.id).update(status="resolved")
    page = (await client.get("/track", params={"code": case.tracking_code})).text
    assert "Đã xử phạt &lt;cơ sở&gt;." in page
    api = await client.get(f"/open311/v2/requests/{case.tracking_code}.json")
    assert api.json()[0]["status_notes"] == "Đã xử phạt <cơ sở>."
