"""What a person notices in a real browser: the form without JavaScript, photo previews and
upload progress with it, keyboard-only use, the remembered language, friendly error pages,
and axe-core itself proven able to see a problem."""

from __future__ import annotations

import io
import os
import re

from PIL import Image
from playwright.async_api import Page, expect

from tests.browser.conftest import PHONE, new_page, serious_violations
from tests.helpers import jpeg_with_gps


async def fill_required(page: Page) -> None:
    await page.get_by_label("Hàng giả", exact=True).check()
    await page.get_by_label("Tên sản phẩm").fill("Dầu ăn Tường An 1 lít")
    await page.get_by_label("Nhóm sản phẩm").select_option("food")
    await page.get_by_label("Nơi bán").select_option("market")
    await page.get_by_label("Nội dung sự việc").fill(
        "Can dầu có nhãn in nhòe, nắp không có vòng niêm phong, giá rẻ hơn nhiều so với siêu thị.")


def noisy_jpeg(width: int, height: int) -> bytes:
    """A photo that does not compress: a few megabytes, like a phone's."""
    output = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        output, format="JPEG", quality=95)
    return output.getvalue()


async def test_without_javascript_the_form_files_a_report_with_a_photo(site, chrome):
    page = await new_page(chrome, site, PHONE, java_script_enabled=False)
    await page.goto("/report")
    await fill_required(page)
    await page.locator("#photos").set_input_files(
        [{"name": "can-dau.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    await page.get_by_role("button", name="Gửi phản ánh").click()
    await expect(page).to_have_url(re.compile(r"/receipt/"))
    await expect(page.locator("#pin")).to_have_text(re.compile(r"^\d{4} \d{4}$"))


async def test_a_large_photo_shows_its_preview_and_the_upload_progress(site, chrome):
    page = await new_page(chrome, site, PHONE)
    # A slow mobile uplink, so the progress can be seen.
    network = await page.context.new_cdp_session(page)
    await network.send("Network.enable")
    await network.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 20, "downloadThroughput": -1,
        "uploadThroughput": 400 * 1024})
    await page.goto("/report")
    await fill_required(page)
    photo = noisy_jpeg(1200, 900)
    assert len(photo) > 1024 * 1024
    await page.locator("#photos").set_input_files(
        [{"name": "can-dau.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    await expect(page.locator("#photos-previews")).to_contain_text("can-dau.jpg")
    await expect(page.locator("#photos-previews")).to_contain_text("MB")
    await page.get_by_role("button", name="Gửi phản ánh").click()
    status = page.locator("#upload-status")
    await expect(status).to_contain_text(re.compile(r"Đang gửi phản ánh… \d+%"))
    await expect(page.get_by_role("button", name="Gửi phản ánh")).to_be_disabled()
    await expect(page.locator("#tracking-code")).to_be_visible(timeout=30_000)
    await expect(page).to_have_url(re.compile(r"/receipt/"))  # the address follows the answer


async def test_keyboard_alone_files_a_report(site, chrome):
    page = await new_page(chrome, site)
    await page.goto("/report")
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung")
    await expect(skip).to_be_focused()
    await expect(skip).to_be_in_viewport()  # shown when focused
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"#main$"))
    reached = []
    for _ in range(60):  # Tab through the form: every field is reached, in order
        await page.keyboard.press("Tab")
        reached.append(await page.evaluate("document.activeElement.id || document.activeElement.name"))
    for field in ("category-counterfeit", "product_name", "product_group", "description", "photos",
                  "reporter_name", "consent"):
        assert field in reached, (field, reached)
    assert reached.index("product_name") < reached.index("description") < reached.index("photos")

    await page.locator("#category-counterfeit").focus()
    await page.keyboard.press("Space")
    await page.locator("#product_name").focus()
    await page.keyboard.type("Bột giặt OMO 3 kg")
    await page.locator("#product_group").focus()
    await page.keyboard.press("ArrowDown")  # the first kind
    await page.locator("#sales_channel").focus()
    await page.keyboard.press("ArrowDown")
    await page.locator("#description").focus()
    await page.keyboard.type("Bao bì mỏng, bột vón cục, mùi khác hẳn loại mua ở siêu thị.")
    await page.locator("#reporter_name").focus()
    await page.keyboard.press("Enter")  # Enter in a text field sends the form
    await expect(page.locator("#tracking-code")).to_be_visible()


async def test_the_chosen_language_is_remembered(site, chrome):
    page = await new_page(chrome, site)
    await page.goto("/track")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Follow a report")
    await page.goto("/report")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Report a product")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await page.get_by_role("link", name="Tiếng Việt").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh sản phẩm")


async def test_a_missing_page_is_friendly_and_accessible(site, chrome, axe_source):
    page = await new_page(chrome, site, PHONE)
    answer = await page.goto("/khong-co-trang-nay")
    assert answer is not None and answer.status == 404
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.get_by_role("link", name="Phản ánh").first).to_be_visible()
    assert await serious_violations(page, axe_source) == []


async def test_axe_does_see_a_field_without_a_label(site, chrome, axe_source):
    """The check used on every page can fail: a field robbed of its label is reported."""
    page = await new_page(chrome, site)
    await page.goto("/report")
    assert await serious_violations(page, axe_source) == []
    await page.evaluate("document.querySelector('label[for=product_name]').remove()")
    found = await serious_violations(page, axe_source)
    assert any(problem.startswith("label (critical)") for problem in found), found
