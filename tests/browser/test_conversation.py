"""The conversation in a real browser, every mail received by a real SMTP server (aiosmtpd):
an inspector asks; the citizen gets the mail, opens their page on a phone, sees the question
and answers with a photo; the case resumes, the inspector is mailed and the queue marks the
new information; the inspector resolves — a mistake on the way keeps every value; the citizen
gets the outcome, says "not satisfied"; the lead sees the request and reopens the case."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from intake.settings import Settings
from tests.browser.conftest import PHONE, new_page, serious_violations, sign_in
from tests.conftest import running_app
from tests.helpers import VALID_REPORT, jpeg_with_gps, wait_for
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD
from tests.live import free_port, start_server
from tests.smtp_server import SmtpServer
from workflows.access.accounts import create_user

CITIZEN = "thu.le@example.vn"
QUESTION = "Anh/chị vui lòng cho biết tên sạp và chụp ảnh tem trên nắp chai."
ANSWER = "Sạp số 12 của bà Tư, ở cổng chợ. Ảnh tem tôi gửi kèm."


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def mail_site(settings: Settings, smtp: SmtpServer) -> AsyncIterator[str]:
    """`intake serve` with the staff accounts, sending its mail to the test SMTP server."""
    async with running_app(settings):
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES,
                              name="Nguyễn Văn An" if role == "inspector" else "")
    port = free_port()
    server = start_server(settings, port, env={
        "INTAKE_SMTP_HOST": "127.0.0.1", "INTAKE_SMTP_PORT": str(smtp.port),
        "INTAKE_OUTBOX_POLL_SECONDS": "0.2"})
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


def file_a_report(site: str, photo: bool = False) -> tuple[str, str]:
    """A citizen's report with their email and consent (and a photo of the goods if asked);
    its code and PIN from the receipt."""
    with httpx.Client(base_url=site, follow_redirects=True) as citizen:
        form = citizen.get("/report").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        receipt = citizen.post("/report", data={
            **VALID_REPORT, "reporter_email": CITIZEN, "consent": "1", "csrf_token": token,
            "join_case": "new"},
            files=[("photos", ("chai.jpg", jpeg_with_gps(), "image/jpeg") if photo
                    else ("", b"", "application/octet-stream"))])
        code = re.search(r'id="tracking-code"[^>]*>([^<]+)<', receipt.text).group(1)
        pin = re.search(r'id="pin"[^>]*>([^<]+)<', receipt.text).group(1)
    return code.replace("-", "").replace(" ", ""), pin.replace(" ", "")


def mail_to(smtp: SmtpServer, address: str, words: str) -> str:
    found = [mail.part("plain") for mail in smtp.handler.to(address)
             if words in str(mail.message["Subject"])]
    return found[-1] if found else ""


async def act(page: Page, label: str, fill: dict[str, str] | None = None) -> None:
    await page.locator("summary", has_text=label).click()
    for selector, value in (fill or {}).items():
        field = page.locator(selector)
        if await field.evaluate("node => node.tagName") == "SELECT":
            await field.select_option(value)
        else:
            await field.fill(value)
    await page.get_by_role("button", name=label).click()
    await page.wait_for_load_state()


async def assigned_by_the_lead(chrome: Browser, site: str, code: str) -> Page:
    """The lead's page, once they assigned the case to the inspector Nguyễn Văn An."""
    lead = await new_page(chrome, site)
    await sign_in(lead, "qltt_lead")
    await lead.goto(f"/staff/cases/{code}")
    inspector_id = await lead.locator("#assign-assignee_id option",
                                      has_text="Nguyễn Văn An").get_attribute("value")
    await act(lead, "Giao cán bộ xử lý", {"#assign-assignee_id": inspector_id or ""})
    return lead


async def test_the_conversation_goes_both_ways_to_a_review(mail_site, chrome, axe_source, smtp,
                                                          screenshots):
    code, pin = file_a_report(mail_site)
    violations: dict[str, list[str]] = {}
    lead = await assigned_by_the_lead(chrome, mail_site, code)

    inspector = await new_page(chrome, mail_site)
    await sign_in(inspector, "qltt")
    await wait_for(lambda: bool(mail_to(smtp, ACCOUNTS["qltt"][0], "được giao cho bạn")))
    assigned = mail_to(smtp, ACCOUNTS["qltt"][0], "được giao cho bạn")
    await inspector.goto(re.search(r"http://\S+/staff/cases/\S+", assigned).group(0))
    await act(inspector, "Bắt đầu xử lý")
    await act(inspector, "Đề nghị người phản ánh bổ sung và chờ", {"#wait-question": QUESTION})
    await expect(inspector.locator("dl.case-state")).to_contain_text("Chờ bổ sung thông tin")

    # The citizen gets the question by mail, opens their page on a phone with the PIN.
    await wait_for(lambda: bool(mail_to(smtp, CITIZEN, "đề nghị bạn bổ sung")))
    asked = mail_to(smtp, CITIZEN, "đề nghị bạn bổ sung")
    assert QUESTION in asked
    phone = await new_page(chrome, mail_site, PHONE, is_mobile=True, has_touch=True)
    await phone.goto(re.search(r"http://\S+/track\?code=\S+", asked).group(0))
    await phone.locator("#access-pin").fill(pin)
    await phone.get_by_role("button", name="Mở phản ánh của tôi").click()
    await expect(phone.locator("main")).to_contain_text(QUESTION)
    await expect(phone.locator("main")).to_contain_text("Cơ quan chức năng đề nghị")
    violations["reporter page"] = await serious_violations(phone, axe_source)
    await phone.get_by_label("Nội dung").fill(ANSWER)
    await phone.locator("#photos").set_input_files(
        [{"name": "tem.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(640, 480)}])
    await phone.get_by_role("button", name="Gửi", exact=True).click()
    await expect(phone.locator("main")).to_contain_text("đã được bổ sung")
    await expect(phone.locator("main")).to_contain_text(ANSWER)
    await phone.screenshot(path=screenshots / "reporter-page.png", full_page=True)

    # The case resumed, the inspector was told, the queue marks the new information.
    await wait_for(lambda: bool(mail_to(smtp, ACCOUNTS["qltt"][0], "trả lời câu hỏi")))
    await inspector.goto("/staff/queue?new_info=1")
    await expect(inspector.locator("table.queue")).to_contain_text("thông tin mới")
    await inspector.goto(f"/staff/cases/{code}")
    await expect(inspector.locator("dl.case-state")).to_contain_text("Đang xử lý")
    await expect(inspector.locator("main")).to_contain_text(ANSWER)

    # A mistake in the resolve form: every value comes back, the message beside its field.
    await inspector.locator("summary", has_text="Kết thúc xử lý").click()
    await inspector.locator("#resolve-outcome").select_option("violation_confirmed")
    await inspector.locator("#resolve-public_outcome").fill("Đã xử phạt sạp số 12, tịch thu hàng.")
    await inspector.locator("#resolve-fine_vnd").fill("15.000.000")
    await inspector.locator("#resolve-legal_basis").fill("Nghị định 98/2020/NĐ-CP")
    await inspector.locator("#resolve-seized_1_name").fill("Nước mắm giả")
    await inspector.locator("#resolve-seized_1_quantity").fill("120 chai")
    await inspector.locator("#resolve-seized_1_value").fill("5.400.000")
    await inspector.get_by_role("button", name="Kết thúc xử lý").click()
    await expect(inspector.locator("#resolve-seized_1_quantity-error")).to_contain_text(
        "chỉ nhập số (120)")
    for selector, value in (("#resolve-public_outcome", "Đã xử phạt sạp số 12, tịch thu hàng."),
                            ("#resolve-fine_vnd", "15.000.000"),
                            ("#resolve-legal_basis", "Nghị định 98/2020/NĐ-CP"),
                            ("#resolve-seized_1_name", "Nước mắm giả")):
        await expect(inspector.locator(selector)).to_have_value(value)
    assert inspector.url.endswith(f"/staff/cases/{code}#action-resolve")
    violations["resolve form with a mistake"] = await serious_violations(inspector, axe_source)
    await inspector.locator("#resolve-seized_1_quantity").fill("120")
    await inspector.locator("#resolve-seized_1_unit").fill("chai")
    await inspector.get_by_role("button", name="Kết thúc xử lý").click()
    await expect(inspector.locator("table.seized")).to_contain_text("120 chai")
    await expect(inspector.locator("main")).to_contain_text("15.000.000 ₫")

    # The citizen reads the outcome and is not satisfied, from the mail's link.
    await wait_for(lambda: "/feedback/" in mail_to(smtp, CITIZEN, "giải quyết"))
    outcome_mail = mail_to(smtp, CITIZEN, "giải quyết")
    assert "Đã xử phạt sạp số 12, tịch thu hàng." in outcome_mail
    not_satisfied = re.findall(r"http://\S+/feedback/\S+", outcome_mail)[1]
    await phone.goto(not_satisfied)
    await expect(phone.get_by_label("Không hài lòng")).to_be_checked()
    await phone.get_by_label("Ý kiến (không bắt buộc)").fill("Hôm nay sạp vẫn bán.")
    await phone.get_by_role("button", name="Gửi ý kiến").click()
    await expect(phone.locator("main")).to_contain_text("đã được đề nghị xem xét lại")

    # The lead sees the request, and reopens the case.
    await wait_for(lambda: bool(mail_to(smtp, ACCOUNTS["qltt_lead"][0], "xem xét lại")))
    await lead.goto("/staff/queue?review=1")
    await expect(lead.locator("table.queue")).to_contain_text("đề nghị xem xét lại")
    await lead.goto(f"/staff/cases/{code}")
    await expect(lead.locator("#review ~ .feedback")).to_contain_text("Hôm nay sạp vẫn bán.")
    await lead.locator("#review-reason").fill("Kiểm tra lại theo ý kiến người phản ánh.")
    await lead.get_by_role("button", name="Chấp nhận: mở lại hồ sơ").click()
    await expect(lead.locator("dl.case-state")).to_contain_text("Đang xử lý")
    violations["case page with the review"] = await serious_violations(lead, axe_source)
    await lead.screenshot(path=screenshots / "review.png", full_page=True)

    # Every mail of the conversation arrived, once.
    subjects = [str(mail.message["Subject"]) for mail in smtp.handler.received]
    assert len(subjects) == len(set(zip(subjects, [tuple(m.recipients) for m in smtp.handler.received],
                                        strict=True)))
    assert not {page: found for page, found in violations.items() if found}
