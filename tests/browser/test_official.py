"""An official service as a citizen on a 360 px phone and staff at 1,366 px see it in
Chromium: who runs it on every page, a photo's size as it is, the log's entry number under
the proof rather than beside the code, the open-data table within the screen, and the
overdue queue saying who holds each case and for how many days. axe-core checks each page."""

from __future__ import annotations

import datetime as dt
import re

from playwright.async_api import expect

from tests.browser.conftest import PHONE, loaded_width, new_page, serious_violations, sign_in
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


async def test_the_case_page_in_two_panes_with_photos_who_holds_it_and_what_was_done(
        site, chrome, axe_source, screenshots):
    citizen = await new_page(chrome, site, PHONE)
    await citizen.goto("/report")
    await fill_required(citizen)
    await citizen.locator("#photos").set_input_files(
        [{"name": "can-dau.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(640, 480)}])
    await citizen.get_by_role("button", name="Gửi phản ánh").click()
    code = (await citizen.locator("#tracking-code").inner_text()).replace(" ", "")

    # An inspector opening it before a lead assigned it is told why there is nothing to do.
    inspector = await new_page(chrome, site, WIDE)
    await sign_in(inspector, "qltt")
    await inspector.goto(f"/staff/cases/{code}")
    await expect(inspector.locator("#no-actions")).to_contain_text("Chờ lãnh đạo phân công")

    lead = await new_page(chrome, site, WIDE)
    await sign_in(lead, "qltt_lead")
    await lead.goto(f"/staff/cases/{code}")
    facts, work = lead.locator("section.case-facts"), lead.locator("section.case-work")
    facts_box, work_box = await facts.bounding_box(), await work.bounding_box()
    assert facts_box["x"] + facts_box["width"] <= work_box["x"]  # side by side
    assert abs(facts_box["y"] - work_box["y"]) < 5
    # The photo is shown, through the same checks as a download.
    photo = facts.locator("ul.thumbnails img")
    await expect(photo).to_be_visible()
    assert await loaded_width(photo) > 0
    await expect(work.locator("#assignee")).to_contain_text("chưa giao")
    await lead.locator("summary", has_text="Giao cán bộ xử lý").click()
    option = lead.locator("#assign-assignee_id option", has_text="Nguyễn Văn An")
    await lead.locator("#assign-assignee_id").select_option(await option.get_attribute("value"))
    await lead.get_by_role("button", name="Giao cán bộ xử lý").click()
    await expect(lead.locator("#action-done")).to_contain_text("Đã thực hiện: Giao cán bộ xử lý")
    await expect(lead.locator("#assignee")).to_contain_text("Nguyễn Văn An")
    assert await fits_the_screen(lead)
    assert await serious_violations(lead, axe_source) == []
    await lead.screenshot(path=screenshots / "staff-case.png", full_page=True)

    # On a phone the panes stack, nothing wider than the screen.
    small = await new_page(chrome, site, PHONE)
    await sign_in(small, "qltt_lead")
    await small.goto(f"/staff/cases/{code}")
    facts_box = await small.locator("section.case-facts").bounding_box()
    work_box = await small.locator("section.case-work").bounding_box()
    assert work_box["y"] >= facts_box["y"] + facts_box["height"] - 1
    assert await fits_the_screen(small)


async def test_a_quantity_with_its_unit_and_a_shop_found_without_marks_or_the_whole_code(
        site, chrome, axe_source):
    """A citizen types "2 chai" and the shop "Sạp Hoà Bình" on a phone; at the desk the lead
    finds it by "sap hoa binh" typed without marks, by "Hòa" in the new placement, and by a
    part of its tracking code."""
    phone = await new_page(chrome, site, PHONE, is_mobile=True, has_touch=True)
    await phone.goto("/report")
    await fill_required(phone)
    await phone.get_by_label("Số lượng đã mua").fill("2 chai")
    await phone.get_by_label("Tên cửa hàng, người bán").fill("Sạp Hoà Bình")
    await phone.get_by_role("button", name="Gửi phản ánh").click()
    await expect(phone.locator("#tracking-code")).to_be_visible()
    code = (await phone.locator("#tracking-code").inner_text()).replace(" ", "")
    assert await fits_the_screen(phone)

    lead = await new_page(chrome, site, WIDE)
    await sign_in(lead, "qltt_lead")
    await lead.goto(f"/staff/cases/{code}")
    await expect(lead.locator("section.case-facts")).to_contain_text("2 chai")
    # A part as read from a paper: six characters with a digit (a part without one is a word).
    compact = code.replace("-", "")
    part = next((compact[start:start + 6] for start in range(len(compact) - 5)
                 if any(char.isdigit() for char in compact[start:start + 6])), code)
    for typed in ("sap hoa binh", "Sạp Hòa Bình", part.lower()):
        await lead.goto("/staff/queue")
        await lead.locator("#q").fill(typed)
        await lead.locator("#q").press("Enter")
        await expect(lead.locator("table.queue")).to_contain_text(code, timeout=5000)
    await lead.locator("#q").fill("sap hoa binh xyz")
    await lead.locator("#q").press("Enter")
    await expect(lead).to_have_url(re.compile(r"q=sap\+hoa\+binh\+xyz"))
    await expect(lead.locator("main")).not_to_contain_text(code)
    assert await fits_the_screen(lead)
    assert await serious_violations(lead, axe_source) == []
