"""An official service as a citizen on a 360 px phone and staff at 1,366 px see it in
Chromium: who runs it on every page, a photo's size as it is, the log's entry number under
the proof rather than beside the code, the open-data table within the screen, and the
overdue queue saying who holds each case and for how many days. axe-core checks each page."""

from __future__ import annotations

import datetime as dt
import re

from playwright.async_api import expect

from tests.browser.conftest import PHONE, new_page, serious_violations, sign_in
from tests.browser.test_experience import fill_required
from tests.conftest import running_app
from tests.helpers import jpeg_with_gps
from workflows.cases.models import Case

WIDE = {"width": 1366, "height": 900}


async def fits_the_screen(page) -> bool:
    return await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


async def test_a_citizen_on_a_phone_sees_who_runs_it_and_a_receipt_without_a_third_code(
        site, chrome, axe_source, screenshots):
    phone = await new_page(chrome, site, PHONE, is_mobile=True, has_touch=True)
    await phone.goto("/")
    header = phone.locator("header.site")
    await expect(header).to_contain_text("Ủy ban nhân dân tỉnh Khánh Hòa")
    await expect(header).to_contain_text("Sở Công Thương tỉnh Khánh Hòa")
    await expect(header.locator("img")).to_be_visible()
    await expect(phone.locator("footer.site")).to_contain_text("Đường dây nóng")
    assert await fits_the_screen(phone)
    assert await serious_violations(phone, axe_source) == []
    await phone.screenshot(path=screenshots / "home-phone.png", full_page=True)

    await phone.goto("/report")
    await fill_required(phone)
    await phone.locator("#photos").set_input_files(
        [{"name": "nhan.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    # A small photo says its size in KB, never "0 MB".
    await expect(phone.locator("#photos-previews")).to_contain_text(re.compile(r"\d+ KB"))
    await expect(phone.locator("#photos-previews")).not_to_contain_text("0 MB")
    await phone.get_by_role("button", name="Gửi phản ánh").click()
    await expect(phone.locator("#tracking-code")).to_be_visible()
    receipt = phone.locator(".receipt")
    await expect(receipt.locator(".code")).to_have_count(2)  # the code and the PIN, no third
    await expect(phone.locator("#leaf-index")).to_be_visible()
    assert await fits_the_screen(phone)

    await phone.goto("/open-data")
    for table in await phone.locator("table.figures").all():
        await table.scroll_into_view_if_needed()
    assert await fits_the_screen(phone)  # a wide table scrolls inside its box
    assert await serious_violations(phone, axe_source) == []


async def test_the_overdue_queue_names_the_assignee_and_the_days_at_desk_width(
        site, chrome, settings):
    phone = await new_page(chrome, site, PHONE)
    await phone.goto("/report")
    await fill_required(phone)
    await phone.get_by_role("button", name="Gửi phản ánh").click()
    await expect(phone.locator("#tracking-code")).to_be_visible()
    async with running_app(settings):
        await Case.all().update(due_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=4, hours=1))
    staff = await new_page(chrome, site, WIDE)
    await sign_in(staff, "qltt_lead")
    await staff.goto("/staff/queue?overdue=1")
    row = staff.locator("tr.overdue").first
    await expect(row).to_contain_text("quá hạn 4 ngày")
    await expect(row).to_contain_text("chưa giao")
    await expect(staff.get_by_role("columnheader", name="Người được giao")).to_be_visible()
