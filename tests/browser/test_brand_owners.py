"""A brand owner in a real browser, every mail received by a real SMTP server: the producer
registers on a phone with its trademark certificate (a mistake first: the form keeps its
words), an officer verifies it; a citizen reports goods of its brand and the owner, asked by
mail, answers "counterfeit" with a document through its link, which then refuses a second
use; the inspector sees the opinion on the case. The owner signs in by a mailed link and
publishes how to tell its genuine product, which a citizen typing the brand on the report
form then sees. Nothing of the reporter is in the owner's mail or pages."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import PHONE, loaded_width, new_page, serious_violations, sign_in
from tests.browser.test_conversation import CITIZEN, file_a_report, mail_to
from tests.browser.test_conversation import mail_site as mail_site  # noqa: F401 (fixtures)
from tests.browser.test_conversation import smtp as smtp  # noqa: F401
from tests.helpers import MINIMAL_PDF, VALID_REPORT, jpeg_with_gps, wait_for

OWNER_EMAIL = "phap-che@nuocmam-hungthinh.vn"
ORGANISATION = "Công ty TNHH Nước mắm Hưng Thịnh"
OPINION = "Nắp chai thiếu tem chống giả màu bạc; mã lô 2611 không phải của công ty."
GUIDE_TITLE = "Cách nhận biết nước mắm Hưng Thịnh thật"


async def test_a_brand_owner_registers_is_verified_and_says_the_goods_are_counterfeit(
        mail_site, chrome, axe_source, smtp, screenshots):
    violations: dict[str, list[str]] = {}
    owner = await new_page(chrome, mail_site, PHONE, is_mobile=True, has_touch=True)
    await owner.goto("/brands")
    await owner.get_by_role("link", name="Đăng ký là chủ sở hữu nhãn hiệu").click()
    await owner.get_by_label("Tên cơ sở kinh doanh").fill(ORGANISATION)
    await owner.get_by_label("Nhà sản xuất sở hữu nhãn hiệu").check()
    await owner.get_by_label("Người liên hệ").fill("Trần Văn Minh")
    await owner.get_by_label("Email").fill(OWNER_EMAIL)
    await owner.get_by_label("Giấy chứng nhận đăng ký nhãn hiệu").fill("Số 345678, cấp 2019")
    certificate = [{"name": "giay-chung-nhan.pdf", "mimeType": "application/pdf",
                    "buffer": MINIMAL_PDF}]
    await owner.locator("#photos").set_input_files(certificate)
    await owner.get_by_role("button", name="Đăng ký", exact=True).click()
    # A mistake: no brand. The message is beside the field, the rest kept.
    await expect(owner.locator("#brands-error")).to_contain_text("ít nhất một nhãn hiệu")
    await expect(owner.get_by_label("Tên cơ sở kinh doanh")).to_have_value(ORGANISATION)
    violations["registration with an error"] = await serious_violations(owner, axe_source)
    await owner.locator("#brands").fill("Hưng Thịnh")
    await owner.locator("#photos").set_input_files(certificate)
    await owner.get_by_role("button", name="Đăng ký", exact=True).click()
    await expect(owner.locator("#registration-received")).to_contain_text("đã được tiếp nhận")

    officer = await new_page(chrome, mail_site)
    await sign_in(officer, "officer")
    await officer.get_by_role("link", name="Chủ sở hữu nhãn hiệu", exact=True).click()
    await officer.get_by_role("link", name=ORGANISATION).click()
    await expect(officer.locator("dl")).to_contain_text("giay-chung-nhan.pdf")
    await officer.get_by_label("Xác minh: giấy tờ chứng minh được quyền").check()
    await officer.get_by_role("button", name="Ghi nhận quyết định").click()
    await expect(officer.locator("#owner-status")).to_contain_text("Đã xác minh")
    violations["officer's review"] = await serious_violations(officer, axe_source)
    await wait_for(lambda: bool(mail_to(smtp, OWNER_EMAIL, "đã được xác minh")))

    # A citizen reports goods of the brand with a photo; once the officer shows the photo to
    # the brand owners, the owner is asked by mail.
    code, _ = file_a_report(mail_site, photo=True)
    await officer.goto(f"/staff/cases/{code}")
    await officer.get_by_role("button", name="Cho chủ sở hữu nhãn hiệu xem ảnh này").click()
    await expect(officer.locator("section.case-facts")).to_contain_text(
        "đang cho chủ sở hữu nhãn hiệu xem")
    await wait_for(lambda: bool(mail_to(smtp, OWNER_EMAIL, "có phải hàng thật")))
    mail = mail_to(smtp, OWNER_EMAIL, "có phải hàng thật")
    for trace in (CITIZEN, VALID_REPORT["description"], VALID_REPORT["street"]):
        assert trace not in mail
    link = re.search(r"http://\S+/brands/inquiries/\S+", mail).group(0)
    await owner.goto(link)
    await expect(owner.locator("#owner-view")).to_contain_text(VALID_REPORT["product_name"])
    page_text = await owner.locator("body").inner_text()
    for trace in (CITIZEN, VALID_REPORT["description"], VALID_REPORT["street"]):
        assert trace not in page_text
    violations["owner's opinion page"] = await serious_violations(owner, axe_source)
    await owner.get_by_label("Hàng giả: không phải sản phẩm của chúng tôi").check()
    await owner.get_by_label("Căn cứ").fill(OPINION)
    await owner.locator("#photos").set_input_files(
        [{"name": "tem-that.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}])
    await owner.screenshot(path=screenshots / "brand-owner-opinion.png", full_page=True)
    await owner.get_by_role("button", name="Gửi ý kiến").click()
    await expect(owner.locator("#opinion-sent")).to_contain_text("đã được tiếp nhận")
    again = await owner.goto(link)
    assert again is not None and again.status == 410
    await expect(owner.locator("#link-refused")).to_contain_text("đã được sử dụng")

    inspector = await new_page(chrome, mail_site)
    await sign_in(inspector, "qltt")
    await inspector.goto(f"/staff/cases/{code}")
    opinion = inspector.locator(".brand-opinion")
    await expect(opinion).to_contain_text(OPINION)
    await expect(opinion).to_contain_text("Hàng giả")
    await expect(opinion).to_contain_text("tem-that.pdf")
    violations["case page with an opinion"] = await serious_violations(inspector, axe_source)

    # The owner signs in by a mailed link and publishes how to tell its genuine product.
    await owner.goto("/brands")
    await owner.get_by_label("Địa chỉ email đã đăng ký").fill(OWNER_EMAIL)
    await owner.get_by_role("button", name="Gửi cho tôi đường dẫn đăng nhập").click()
    await expect(owner.locator("#link-sent")).to_be_visible()
    await wait_for(lambda: bool(mail_to(smtp, OWNER_EMAIL, "Đăng nhập")))
    sign_in_link = re.search(r"http://\S+/brands/sign-in/\S+",
                             mail_to(smtp, OWNER_EMAIL, "Đăng nhập")).group(0)
    await owner.goto(sign_in_link)
    await owner.get_by_role("button", name="Đăng nhập").click()
    await expect(owner.locator("#inquiries ~ table")).to_contain_text(
        VALID_REPORT["product_name"])
    await owner.get_by_role("link", name="Viết hướng dẫn").click()
    await owner.get_by_label("Tiêu đề").fill(GUIDE_TITLE)
    await owner.locator("#body").fill(
        "Tem chống giả màu bạc trên nắp; mã QR dẫn về trang của công ty.")
    await owner.locator("#photos").set_input_files(
        [{"name": "tem.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(120, 90)}])
    await owner.get_by_label("Đăng: người dân xem được").check()
    await owner.get_by_role("button", name="Lưu hướng dẫn").click()
    await expect(owner.locator("#guide-saved")).to_be_visible()

    citizen = await new_page(chrome, mail_site, PHONE, is_mobile=True, has_touch=True)
    await citizen.goto("/report")
    await citizen.get_by_label("Nhãn hiệu").fill("hung thinh")
    guides = citizen.locator("#brand-guides")
    await expect(guides).to_contain_text(GUIDE_TITLE)
    await expect(guides.locator("img")).to_have_count(1)
    assert await loaded_width(guides.locator("img")) == 120
    await guides.scroll_into_view_if_needed()
    await citizen.screenshot(path=screenshots / "report-genuine-guide.png", full_page=False)
    violations["report form with a guide"] = await serious_violations(citizen, axe_source)
    assert not {page: found for page, found in violations.items() if found}
