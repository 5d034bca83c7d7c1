"""A report's whole life in a real browser: a citizen on a 360 px phone files it with a photo,
an officer triages it, an inspector of the right agency works and resolves it, the citizen reads
the outcome, an analyst downloads the statistics. axe-core checks every page on the way."""

from __future__ import annotations

import io
import re

import openpyxl
from playwright.async_api import Page, expect

from tests.browser.conftest import PHONE, new_page, serious_violations, sign_in
from tests.helpers import jpeg_with_gps

PRODUCT = "Viên uống giảm cân Slim Body"


async def checked(page: Page, axe_source: str, found: dict[str, list[str]], name: str) -> None:
    found[name] = await serious_violations(page, axe_source)


async def file_from_a_phone(page: Page, axe_source: str, found: dict[str, list[str]],
                            screenshots) -> tuple[str, str]:
    await page.goto("/report")
    await checked(page, axe_source, found, "report form")
    await page.screenshot(path=screenshots / "report-form.png")

    # A first try with only the product name: every missing field is named, the name is kept.
    await page.get_by_label("Tên sản phẩm").fill(PRODUCT)
    await page.get_by_role("button", name="Gửi phản ánh").click()
    summary = page.locator(".error-summary")
    await expect(summary).to_be_focused()  # read out first
    await expect(summary).to_contain_text("Vấn đề phản ánh")
    await expect(page.locator("#description-error")).to_be_visible()
    await expect(page.get_by_label("Tên sản phẩm")).to_have_value(PRODUCT)
    await checked(page, axe_source, found, "report form with errors")
    await page.screenshot(path=screenshots / "report-form-errors.png")

    await page.get_by_label("Không bảo đảm an toàn thực phẩm").check()
    await page.get_by_label("Nhóm sản phẩm").select_option(label="Thuốc, thực phẩm chức năng")
    await page.get_by_label("Giá đã trả (đồng)").fill("450.000")
    await page.get_by_label("Nơi bán").select_option(label="Trên mạng (sàn TMĐT, mạng xã hội)")
    await page.get_by_label("Sàn, mạng xã hội").fill("TikTok Shop")
    await page.get_by_label("Nội dung sự việc").fill(
        "Hộp không có số đăng ký, uống vào bị mất ngủ, tim đập nhanh. Người bán quảng cáo "
        "giảm 10 kg trong một tháng.")
    await page.locator("#photos").set_input_files(
        [{"name": "hop-thuoc.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(800, 600)}])
    await expect(page.locator("#photos-previews img")).to_have_count(1)  # the photo, previewed
    await expect(page.locator("#photos-previews")).to_contain_text("hop-thuoc.jpg")
    await page.get_by_role("button", name="Gửi phản ánh").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cảm ơn bạn, phản ánh đã được tiếp nhận")
    code = (await page.locator("#tracking-code").inner_text()).replace(" ", "")
    pin = await page.locator("#pin").inner_text()
    await checked(page, axe_source, found, "receipt")
    await page.screenshot(path=screenshots / "receipt.png", full_page=True)
    return code, pin


async def test_a_report_goes_from_a_phone_to_a_resolved_case_and_into_the_figures(
        site, chrome, axe_source, screenshots):
    found: dict[str, list[str]] = {}
    phone = await new_page(chrome, site, PHONE, is_mobile=True, has_touch=True)
    code, _pin = await file_from_a_phone(phone, axe_source, found, screenshots)

    await phone.get_by_role("link", name="Theo dõi phản ánh này").click()
    await expect(phone.locator("main")).to_contain_text("Đã tiếp nhận")
    await checked(phone, axe_source, found, "track")
    # "Prove my report is in the log": checked by the server against a signed checkpoint.
    await phone.get_by_role("link", name="Chứng minh phản ánh của tôi có trong sổ nhật ký").click()
    await expect(phone.locator("#verified")).to_contain_text("Đã kiểm chứng")
    await checked(phone, axe_source, found, "proof")
    await phone.screenshot(path=screenshots / "proof.png", full_page=True)

    officer = await new_page(chrome, site)
    await sign_in(officer, "officer")
    await officer.get_by_role("link", name=re.compile(code[:4])).first.click()
    await expect(officer.locator("main")).to_contain_text(PRODUCT)
    await officer.locator("summary", has_text="Phân loại, chuyển cơ quan").click()
    await officer.locator("#triage-agency_code").select_option("qltt")
    await officer.get_by_role("button", name="Phân loại, chuyển cơ quan").click()
    await officer.locator("summary", has_text="Giao cán bộ xử lý").click()
    inspector_option = officer.locator("#assign-assignee_id option", has_text="Nguyễn Văn An")
    await officer.locator("#assign-assignee_id").select_option(
        await inspector_option.get_attribute("value"))
    await officer.get_by_role("button", name="Giao cán bộ xử lý").click()
    await expect(officer.locator("dl.case-state")).to_contain_text("Đã giao xử lý")

    inspector = await new_page(chrome, site)
    await sign_in(inspector, "qltt")
    await expect(inspector.locator("table.queue")).to_contain_text(PRODUCT)
    await checked(inspector, axe_source, found, "queue")
    await inspector.screenshot(path=screenshots / "queue.png")
    await inspector.get_by_role("link", name=re.compile(code[:4])).first.click()
    await inspector.locator("summary", has_text="Bắt đầu xử lý").click()
    await inspector.get_by_role("button", name="Bắt đầu xử lý").click()
    await inspector.get_by_label("Thêm ghi chú nội bộ").fill("Đã liên hệ sàn TikTok Shop.")
    await inspector.get_by_role("button", name="Lưu ghi chú").click()
    await inspector.get_by_label("Trả lời hoặc câu hỏi công khai gửi người phản ánh").fill(
        "Chúng tôi đã tiếp nhận và đang xác minh người bán.")
    await inspector.get_by_role("button", name="Gửi trả lời").click()
    await inspector.locator("summary", has_text="Kết thúc xử lý").click()
    await inspector.locator("#resolve-outcome").select_option("violation_confirmed")
    await inspector.locator("#resolve-public_outcome").fill("Đã xử phạt người bán, tịch thu hàng.")
    await inspector.locator("#resolve-fine_vnd").fill("15000000")
    await inspector.get_by_role("button", name="Kết thúc xử lý").click()
    await expect(inspector.locator("main")).to_contain_text("15.000.000 ₫")
    await checked(inspector, axe_source, found, "case page")
    await inspector.screenshot(path=screenshots / "case.png")

    await phone.goto(f"/track?code={code}")
    await expect(phone.locator("main")).to_contain_text("Đã xử phạt người bán, tịch thu hàng.")
    await expect(phone.locator("main")).to_contain_text("đang xác minh người bán")
    await expect(phone.locator("main")).not_to_contain_text("TikTok Shop.")  # the note stays inside

    analyst = await new_page(chrome, site)
    await sign_in(analyst, "analyst")
    await expect(analyst.get_by_role("heading", level=1)).to_contain_text("Thống kê")
    await checked(analyst, axe_source, found, "dashboard")
    await analyst.screenshot(path=screenshots / "dashboard.png")
    async with analyst.expect_download() as download_info:
        await analyst.get_by_role("link", name="XLSX").first.click()
    download = await download_info.value
    workbook = openpyxl.load_workbook(io.BytesIO(open(await download.path(), "rb").read()))
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for cell in row if cell is not None]
    assert "Thuốc, thực phẩm chức năng" in cells

    assert not {page: problems for page, problems in found.items() if problems}
