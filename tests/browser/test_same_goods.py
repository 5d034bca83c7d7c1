""""I saw this too" in a real browser: a second citizen types the barcode of goods an open
case is about; the form offers that case as they type (JavaScript) and they add to it instead
of filing a duplicate. Without JavaScript the same choice comes as a step after the first
submit. Either way the case counts one more person and no second case is made."""

from __future__ import annotations

import re

from playwright.async_api import expect

from intake.settings import Settings
from tests.browser.conftest import PHONE, new_page, serious_violations
from tests.browser.test_conversation import file_a_report
from tests.browser.test_experience import fill_required
from tests.conftest import running_app
from tests.helpers import VALID_REPORT, jpeg_with_gps
from workflows.cases.models import Case


async def test_a_second_citizen_joins_the_open_case_instead_of_filing_again(
        site, chrome, axe_source, settings: Settings, screenshots):
    first, _ = file_a_report(site)
    phone = await new_page(chrome, site, PHONE, is_mobile=True, has_touch=True)
    await phone.goto("/report")
    await fill_required(phone)
    await phone.get_by_label("Mã vạch hoặc mã tem truy xuất nguồn gốc").fill(VALID_REPORT["barcode"])
    await phone.get_by_label("Mã vạch hoặc mã tem truy xuất nguồn gốc").blur()
    offer = phone.locator("#join_case")
    await expect(offer).to_contain_text("Đã có một phản ánh tương tự đang được xử lý")
    assert first not in await offer.inner_text()  # no tracking code, no words typed by others
    assert VALID_REPORT["product_name"] not in await offer.inner_text()
    assert "Hàng giả" not in await offer.inner_text()  # nor what it is about
    assert not await serious_violations(phone, axe_source)
    await phone.get_by_label(re.compile("Có, thêm phản ánh của tôi")).check()
    await phone.locator("#photos").set_input_files(
        [{"name": "nap-chai.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    await phone.screenshot(path=screenshots / "same-goods-offer.png", full_page=True)
    await phone.get_by_role("button", name="Gửi phản ánh").click()
    await expect(phone.locator("#joined")).to_contain_text("đã được bổ sung")

    # Without JavaScript: the first submit asks, the second adds.
    plain = await new_page(chrome, site, PHONE, java_script_enabled=False)
    await plain.goto("/report")
    await fill_required(plain)
    await plain.get_by_label("Mã vạch hoặc mã tem truy xuất nguồn gốc").fill(VALID_REPORT["barcode"])
    await plain.get_by_role("button", name="Gửi phản ánh").click()
    await expect(plain.locator("#join_case")).to_contain_text("phản ánh tương tự")
    await expect(plain.get_by_label("Tên sản phẩm")).to_have_value("Dầu ăn Tường An 1 lít")
    await plain.get_by_label(re.compile("Có, thêm phản ánh của tôi")).check()
    await plain.get_by_role("button", name="Gửi phản ánh").click()
    await expect(plain.locator("#joined")).to_contain_text("đã được bổ sung")

    async with running_app(settings):
        assert await Case.all().count() == 1
        # Both came from this machine: two additions kept, one more person counted.
        assert (await Case.get(tracking_code=first)).supporters == 1
