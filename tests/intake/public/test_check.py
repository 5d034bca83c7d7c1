"""/check: a citizen types (or a scanner fills in) the code on a package and sees what its
barcode says, the verified owner of its company prefix with that owner's guides, a stamp's
address as a link the server never opens, and a way to report the product with the form
already filled in. On both databases."""

from __future__ import annotations

import re

import httpx
import pytest

from workflows.parties.models import BrandClaim, BrandOwner, GenuineGuide

GENUINE = "8934588063053"  # GS1 Vietnam, a correct check digit
WRONG_CHECK_DIGIT = "8934588063054"


async def owner_of_prefix(status: str = "verified", published: bool = True) -> BrandOwner:
    owner = await BrandOwner.create(organisation="Công ty Nước mắm Hưng Thịnh", kind="producer",
                                    contact_name="A", email="ht@example.vn",
                                    trademark_numbers="345678", status=status)
    await BrandClaim.create(owner=owner, kind="gs1", value="8934588", key="8934588")
    await BrandClaim.create(owner=owner, kind="brand", value="Hưng Thịnh", key="hungthinh")
    await GenuineGuide.create(owner=owner, brand="Hưng Thịnh", brand_key="hungthinh",
                              title="Tem chống giả 7 màu trên nắp", body="Nắp có tem 7 màu.",
                              published=published)
    return owner


def text_of(page: httpx.Response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


async def test_a_genuine_barcode_shows_its_office_owner_and_guide(client) -> None:
    await owner_of_prefix()
    page = await client.get("/check", params={"code": "8 934588 063053"})
    assert page.status_code == 200
    shown = text_of(page)
    assert "Số kiểm tra Đúng" in shown
    assert "GS1 Vietnam (tiền tố 893)" in shown
    assert "Công ty Nước mắm Hưng Thịnh" in shown
    assert "Tem chống giả 7 màu trên nắp" in shown and "Nắp có tem 7 màu." in shown
    report = re.search(r'id="report-product" href="([^"]+)"', page.text)
    assert report and "Phản ánh sản phẩm này" in shown
    form = await client.get(report.group(1).replace("&amp;", "&"))
    assert re.search(rf'name="barcode"[^>]*value="{GENUINE}"', form.text)


async def test_a_wrong_check_digit_is_called_a_sign_of_a_fake_label(client) -> None:
    await owner_of_prefix()
    shown = text_of(await client.get("/check", params={"code": WRONG_CHECK_DIGIT}))
    assert "Đây là dấu hiệu rõ của nhãn giả" in shown
    # A fake copies the owner's prefix: the owner and its guide are still what to compare.
    assert "Tem chống giả 7 màu trên nắp" in shown


@pytest.mark.parametrize(("status", "published"), [("pending", True), ("withdrawn", True),
                                                   ("verified", False)])
async def test_only_a_verified_owners_published_guides_are_shown(client, status: str,
                                                                 published: bool) -> None:
    await owner_of_prefix(status, published)
    shown = text_of(await client.get("/check", params={"code": GENUINE}))
    assert "Tem chống giả" not in shown
    assert ("Công ty Nước mắm Hưng Thịnh" in shown) == (status == "verified")
    if status != "verified":
        assert "Chưa có chủ sở hữu nhãn hiệu đã xác minh" in shown


async def test_a_stamps_address_is_a_link_never_opened_and_a_digital_link_is_read(
        client) -> None:
    await owner_of_prefix()
    stamp = "https://truyxuat.example.vn/tem?id=AB12&lot=7"
    page = await client.get("/check", params={"code": stamp})
    assert "truyxuat.example.vn" in text_of(page)
    assert re.search(r'<a href="https://truyxuat\.example\.vn/tem\?id=AB12&amp;lot=7" '
                     r'rel="nofollow noopener noreferrer"', page.text)
    assert "<img" not in page.text.split('id="stamp-link"')[1].split("</div>")[0]
    # A GS1 Digital Link address carries the GTIN: it is checked like the printed barcode.
    digital = await client.get("/check", params={
        "code": f"https://id.gs1.org/01/0{GENUINE}/10/LOT7"})
    assert "Tem chống giả 7 màu trên nắp" in text_of(digital)


@pytest.mark.parametrize("code", ["javascript:alert(1)", "data:text/html,<b>x</b>",
                                  "<script>alert(1)</script>",
                                  # Browsers open evil.example; a URL parser reads mpi.gov.vn.
                                  "https://evil.example\\@mpi.gov.vn/x",
                                  "https://mpi.gov.vn@evil.example/x",
                                  "https://evil.example\\mpi.gov.vn"])
async def test_what_is_no_web_address_is_shown_as_text_only(client, code: str) -> None:
    page = await client.get("/check", params={"code": code})
    assert page.status_code == 200
    assert 'id="stamp-link"' not in page.text and "<script>alert" not in page.text
    assert "<b>x</b>" not in page.text


@pytest.mark.parametrize(("code", "message"), [
    ("   ", "Hãy nhập hoặc quét dãy số dưới mã vạch"),
    ("8" * 501, "Mã này dài quá 500 ký tự"),
])
async def test_an_empty_or_endless_code_is_refused_beside_the_box(client, code: str,
                                                                   message: str) -> None:
    page = await client.get("/check", params={"code": code})
    assert page.status_code == 400
    assert message in text_of(page)
    assert 'aria-invalid="true"' in page.text


async def test_the_page_says_so_in_english_too(client) -> None:
    page = await client.get("/check", params={"code": WRONG_CHECK_DIGIT, "lang": "en"})
    assert "This is a strong sign of a fake label" in text_of(page)


async def test_a_link_fills_in_the_products_facts_only(client) -> None:
    await owner_of_prefix()
    form = await client.get("/report", params={
        "brand": "Hưng Thịnh", "product_name": "N" * 300, "barcode": GENUINE,
        "reporter_email": "ke-gian@example.com", "reporter_phone": "0900000000"})
    assert form.status_code == 200
    assert re.search(r'name="brand"[^>]*value="Hưng Thịnh"', form.text)
    assert re.search(r'name="product_name"[^>]*value="N{200}"', form.text)
    filled = dict(re.findall(r'<input[^>]* name="([a-z_]+)"[^>]* value="([^"]*)"', form.text))
    assert filled["product_name"] == "N" * 200
    # Someone else's contact details are never put in a citizen's mouth.
    assert filled["reporter_email"] == filled["reporter_phone"] == ""
    # The brand's guide shows at once, as it does when the citizen types the brand.
    assert "Tem chống giả 7 màu trên nắp" in form.text


async def test_a_look_alike_host_is_shown_as_the_name_it_is(client) -> None:
    page = await client.get("/check", params={"code": "https://mрi.gov.vn/tem"})  # a Cyrillic р
    assert "xn--mi-lmc.gov.vn" in text_of(page)


@pytest.mark.parametrize("odd", ["%00", "%C3%9F" * 17, "a%0Ab"])
async def test_odd_codes_in_a_link_fill_in_nothing_and_break_nothing(client, odd: str) -> None:
    for path in (f"/report?barcode={odd}", f"/report/genuine?brand=&barcode={odd}"):
        answer = await client.get(path)
        assert answer.status_code == 200, path
