"""Hostile input through the real endpoints: each gets a clean 4xx with a message naming the
problem, nothing is stored, and nothing a citizen typed can run as markup on any page or
mail or in any export."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.helpers import REPORTER, VALID_REPORT, jpeg_with_gps, post_report
from tests.intake.api.test_open311 import API_REPORT
from tests.intake.conftest import sign_in
from workflows.cases.models import Attachment, Case
from workflows.mail.models import OutboxMessage

HOSTILE_FORM = [
    ({"product_name": "Nước\x00mắm"}, "Trường này có ký tự không được phép"),
    ({"description": "x" * 1_000_000}, "quá dài nên không đọc được: chỉ viết tối đa 5000 ký tự"),
    ({"latitude": "999", "longitude": "105.8"}, "Phải nằm trong khoảng từ -90 đến 90 độ"),
    ({"price_vnd": "-1"}, "Giá không thể là số âm"),
    ({"price_vnd": "1" + "0" * 30}, "Giá không thể lớn hơn"),
    ({"purchase_date": "01/01/2999"}, "Ngày mua không thể ở trong tương lai"),
    ({"online_url": "javascript:alert(1)", "sales_channel": "online"}, "http://"),
    ({"reporter_name": "Kẻ\r\nBcc: victim@example.com", "consent": "1"}, "ký tự không được phép"),
]


@pytest.mark.parametrize(("changes", "message"), HOSTILE_FORM,
                         ids=[next(iter(c)) + str(i) for i, (c, _) in enumerate(HOSTILE_FORM)])
async def test_the_report_form_refuses_hostile_values_cleanly(client, changes, message):
    response = await post_report(client, {**VALID_REPORT, **changes})
    assert 400 <= response.status_code < 500
    assert message.lower() in response.text.lower()
    assert not await Case.exists()


async def test_fifty_files_and_a_broken_multipart_body_are_refused_cleanly(client):
    photo = jpeg_with_gps()
    many = await post_report(client, files=[(f"{n}.jpg", photo, "image/jpeg") for n in range(50)])
    assert many.status_code == 400 and "quá nhiều tệp nên không đọc được biểu mẫu: chỉ chọn tối " \
        "đa 5 tệp" in many.text
    broken = await client.post("/report", content=b"--x\r\nnot a part at all",
                               headers={"content-type": "multipart/form-data; boundary=x"})
    assert broken.status_code == 400 and "Không đọc được biểu mẫu" in broken.text
    assert not await Case.exists()


async def test_hostile_open311_requests_are_refused_field_by_field(client):
    response = await client.post("/open311/v2/requests.json", data={
        **API_REPORT, "attribute[colour]": "đỏ", "lat": "999",
        "attribute[price_vnd]": "1" + "0" * 30, "attribute[quantity]": "9" * 5000 + ".0"})
    assert response.status_code == 400
    described = " ".join(error["description"] for error in response.json())
    assert "lat" in described and "attribute[price_vnd]" in described
    assert "attribute[quantity]" in described
    assert "attribute[colour]" not in described  # an attribute it does not know is kept, not refused
    unknown = await client.post("/open311/v2/requests.json", data={
        **API_REPORT, "service_code": "nonexistent"})
    assert unknown.status_code == 404 and "service_code" in unknown.text
    assert not await Case.exists()
    # What it does not know still cannot disguise itself on a staff page.
    kept = await client.post("/open311/v2/requests.json", data={
        **API_REPORT, "attribute[ghi\u202echu]": "a\u202eb", "attribute[x" + "y" * 500 + "]": "z",
        **{f"attribute[extra{index}]": "v" * 5000 for index in range(40)}})
    assert kept.status_code == 201
    extras = (await Case.get()).extra_attributes
    assert len(extras) == 30 and all(len(name) <= 64 and len(value) <= 1000
                                     for name, value in extras.items())
    assert not any("\u202e" in name + value for name, value in extras.items())


MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def test_markup_typed_by_a_citizen_is_shown_as_text_everywhere(client, accounts):
    fields = {**VALID_REPORT, **REPORTER, "product_name": MARKUP, "brand": MARKUP,
              "shop_name": "=HYPERLINK(\"http://evil\",\"x\")", "description": MARKUP * 3}
    filed = await post_report(client, fields)
    assert filed.status_code == 303
    case = await Case.get()
    pages = [(await client.get("/track", params={"code": case.tracking_code})).text]
    await sign_in(client, "officer")
    pages.append((await client.get("/staff/queue")).text)
    pages.append((await client.get(f"/staff/cases/{case.tracking_code}")).text)
    pages.append((await client.get("/staff/queue", params={"q": "' OR 1=1 --"})).text)
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in pages[2]  # shown, as text
    for mail in await OutboxMessage.all():
        assert "<script>alert" not in (mail.body_html or "")
    listing = await client.get("/staff/stats/export", params={"format": "csv", "detail": "1"})
    assert "'=HYPERLINK" in listing.content.decode("utf-8-sig")  # neutralised for spreadsheets
    assert not re.search(r',=HYPERLINK', listing.content.decode("utf-8-sig"))


def jpeg_polyglot() -> bytes:
    """A real JPEG that is also an HTML page: script in a comment segment and after the end
    marker (both dropped with the metadata). A browser that sniffed it, or a viewer that read past the image, would run it."""
    photo = jpeg_with_gps()
    script = b"<html><script>alert(document.cookie)</script></html>"
    comment = b"\xff\xfe" + (len(script) + 2).to_bytes(2, "big") + script
    return photo[:2] + comment + photo[2:] + b"PK\x03\x04" + script


async def test_a_jpeg_polyglot_is_stored_as_a_plain_image_and_served_inert(client, accounts):
    polyglot = jpeg_polyglot()
    assert Image.open(io.BytesIO(polyglot)).format == "JPEG"  # a valid photo, so it is accepted
    filed = await post_report(client, files=[("bang-chung.html", polyglot, "text/html")])
    assert filed.status_code == 303
    attachment = await Attachment.get()
    assert (attachment.content_type, attachment.storage_name[-4:]) == ("image/jpeg", ".jpg")
    await sign_in(client, "officer")
    case = await Case.get()
    served = await client.get(f"/staff/cases/{case.tracking_code}/attachments/{attachment.id}")
    assert served.status_code == 200 and served.content[:3] == b"\xff\xd8\xff"
    assert b"<script" not in served.content and b"PK\x03\x04" not in served.content  # cleaned
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["content-disposition"].startswith("attachment;")
    assert served.headers["content-security-policy"] == "sandbox"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert attachment.received_sha256 != attachment.stored_sha256  # what was sent, kept as evidence
