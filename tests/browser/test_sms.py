"""A citizen with only a phone, in Chromium on a 360 px phone: they tick "Nhận tin nhắn SMS về
phản ánh này", `intake serve` sends the receipt through a real Kannel to its fake SMSC, the
SMS's link opens their page in a browser that never saw the PIN, and Kannel's delivery report
comes back to Intake."""

from __future__ import annotations

import asyncio
import re

from playwright.async_api import expect

from tests.browser.conftest import PHONE, new_page
from tests.conftest import running_app
from tests.counterparts.kannel import kannel as kannel  # noqa: F401 (the fixture)
from tests.live import free_port, start_server
from workflows.mail.models import OutboxMessage


async def test_a_phone_number_alone_brings_the_receipt_by_sms_and_its_link_opens_the_page(
        settings, kannel, chrome):
    port = free_port()
    server = start_server(settings, port, env={"INTAKE_SMS_URL": kannel.sendsms_url,
                                               "INTAKE_OUTBOX_POLL_SECONDS": "0.2"})
    site = f"http://127.0.0.1:{port}"
    try:
        phone = await new_page(chrome, site, PHONE, is_mobile=True, has_touch=True)
        await phone.goto("/report")
        await phone.get_by_label("Hàng giả", exact=True).check()
        await phone.get_by_label("Tên sản phẩm").fill("Nước mắm Phú Quốc 500 ml")
        await phone.get_by_label("Nhóm sản phẩm").select_option(label="Thực phẩm, đồ uống")
        await phone.get_by_label("Nơi bán").select_option(label="Chợ")
        await phone.get_by_label("Nội dung sự việc").fill(
            "Chai không có tem truy xuất, nắp khác chai mua ở siêu thị.")
        await phone.get_by_label("Số điện thoại").fill("0905 123 987")
        await phone.get_by_label("Nhận tin nhắn SMS về phản ánh này").check()
        await phone.get_by_label(re.compile("^Tôi đồng ý")).check()
        await phone.get_by_role("button", name="Gửi phản ánh").click()
        await expect(phone.get_by_role("heading", level=1)).to_have_text(
            "Cảm ơn bạn, phản ánh đã được tiếp nhận")
        code = (await phone.locator("#tracking-code").inner_text()).replace(" ", "")
        pin = (await phone.locator("#pin").inner_text()).replace(" ", "")

        [sms] = await asyncio.to_thread(kannel.wait_for, 1)
        assert sms.to == "0905123987" and code in sms.text and pin not in sms.text
        link = re.search(rf"{re.escape(site)}/r/\S+", sms.text).group(0)

        # Another browser, on another phone: no cookie, no PIN, only the SMS.
        context = await chrome.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        other = await context.new_page()
        await other.goto(link)
        await expect(other.get_by_role("button", name="Thoát")).to_be_visible()
        await expect(other.locator("main")).to_contain_text(code[:5])
        await expect(other.locator("main")).to_contain_text("Bổ sung thông tin")  # can answer
        await context.close()

        # Kannel reported the delivery to the server that sent it.
        async with running_app(settings):
            for _ in range(100):
                sent = await OutboxMessage.get(channel="sms")
                if sent.delivery == "delivered":
                    break
                await asyncio.sleep(0.1)
            assert sent.status == "sent" and sent.delivery == "delivered"
    finally:
        server.terminate()
        server.wait(timeout=30)
