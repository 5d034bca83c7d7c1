"""Scanning a barcode with the phone's camera (issue 39), in Debian's Chromium with a fake
camera that films an EAN-13 drawn by python-barcode (not by this project): the code lands in
the report form's box, and /check looks it up. The camera is not asked for until "Quét mã" is
pressed."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import barcode
import pytest
from barcode.writer import ImageWriter
from PIL import Image
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.browser.conftest import (
    CHROMIUM_ARGS,
    PHONE,
    _page_errors,
    new_page,
    serious_violations,
)

EAN = "8934588063053"  # GS1 Vietnam, a correct check digit
WIDTH, HEIGHT = 640, 480
# Counts the pages' requests for a camera, to show none is made before the button is pressed.
COUNT_CAMERA_REQUESTS = """
window.cameraRequests = 0;
if (navigator.mediaDevices) {
  const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => {
    window.cameraRequests += 1;
    return ask(constraints);
  };
}
"""


def filmed_barcode(folder: Path) -> Path:
    """A few seconds of video (YUV4MPEG2, 4:2:0) of the printed barcode, as a phone held over
    the package would see it."""
    drawn = io.BytesIO()
    barcode.get("ean13", EAN, writer=ImageWriter()).write(drawn, options={
        "module_width": 0.5, "module_height": 18, "quiet_zone": 6, "dpi": 150,
        "font_size": 0, "text_distance": 1})
    label = Image.open(io.BytesIO(drawn.getvalue())).convert("RGB")
    label.thumbnail((WIDTH - 40, HEIGHT - 40))
    frame = Image.new("RGB", (WIDTH, HEIGHT), "white")
    frame.paste(label, ((WIDTH - label.width) // 2, (HEIGHT - label.height) // 2))
    luma, blue, red = frame.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = luma.tobytes() + blue.resize(half, Image.BOX).tobytes() + \
        red.resize(half, Image.BOX).tobytes()
    video = folder / "barcode.y4m"
    with video.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(30):
            out.write(b"FRAME\n" + planes)
    return video


@pytest.fixture
async def camera_phone(chromium: str, tmp_path: Path) -> AsyncIterator[Browser]:
    """Chromium whose camera films the barcode, its permission granted when asked."""
    _page_errors.clear()
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={filmed_barcode(tmp_path)}"]
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, args=args)
        yield launched
        await launched.close()
    assert not _page_errors, f"JavaScript errors: {_page_errors}"


async def phone_page(browser: Browser, site: str) -> Page:
    page = await new_page(browser, site, PHONE, is_mobile=True, has_touch=True,
                          permissions=["camera"])
    await page.add_init_script(COUNT_CAMERA_REQUESTS)
    return page


async def test_a_scanned_barcode_fills_the_report_form(site, camera_phone, screenshots):
    page = await phone_page(camera_phone, site)
    await page.goto("/report")
    box = page.get_by_label("Mã vạch hoặc mã tem truy xuất nguồn gốc")
    await expect(box).to_have_value("")
    assert await page.evaluate("window.cameraRequests") == 0  # nothing asked on arrival
    await page.get_by_role("button", name="Quét mã").click()
    await expect(box).to_have_value(EAN, timeout=20_000)
    assert await page.evaluate("window.cameraRequests") == 1
    await expect(page.locator("#scanner")).to_be_hidden()  # the camera is let go
    await page.screenshot(path=screenshots / "scan-report-form.png", full_page=True)


async def test_check_looks_up_the_scanned_code(site, camera_phone, screenshots):
    page = await phone_page(camera_phone, site)
    await page.goto("/check")
    assert await page.evaluate("window.cameraRequests") == 0
    await page.get_by_role("button", name="Quét mã").click()
    await expect(page.locator("#gs1-office")).to_contain_text("GS1 Vietnam", timeout=20_000)
    await expect(page.locator("#check-digit")).to_have_text("Đúng")
    assert f"code={EAN}" in page.url
    await page.screenshot(path=screenshots / "check-product.png", full_page=True)


async def test_typing_stays_possible_without_a_camera(site, chrome, axe_source):
    """A browser without a camera (or one that refuses it) still checks what is typed; the
    page and the warnings' list pass axe."""
    page = await new_page(chrome, site, PHONE, is_mobile=True)
    await page.goto("/check")
    await page.get_by_label("Mã vạch hoặc mã tem").fill("8934588063054")
    await page.get_by_role("button", name="Kiểm tra", exact=True).click()
    await expect(page.locator("#check-digit")).to_contain_text("dấu hiệu rõ của nhãn giả")
    assert not await serious_violations(page, axe_source)
    await page.goto("/warnings")
    assert not await serious_violations(page, axe_source)
