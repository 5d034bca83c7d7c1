"""A business asked to explain, in a real browser, every mail received by a real SMTP server:
the inspector asks and the case waits; the business opens the link from its mail on a phone,
makes a mistake (the form keeps its words), answers with an invoice; the link then refuses a
second use, and an expired link refuses too; the inspector sees the answer and publishes a
summary that /track shows. Nothing of the reporter is in the business's mail or pages."""

from __future__ import annotations

import datetime as dt
import re

from playwright.async_api import expect

from intake.settings import Settings
from tests.browser.conftest import PHONE, new_page, serious_violations, sign_in
from tests.browser.test_conversation import (
    CITIZEN,
    act,
    assigned_by_the_lead,
    file_a_report,
    mail_to,
)
from tests.browser.test_conversation import mail_site as mail_site  # noqa: F401 (fixtures)
from tests.browser.test_conversation import smtp as smtp  # noqa: F401
from tests.conftest import running_app
from tests.helpers import MINIMAL_PDF, VALID_REPORT, wait_for
from tests.intake.conftest import ACCOUNTS
from workflows.parties.models import ExplanationRequest

BUSINESS = "ban-hang@sieuthi-anphu.vn"
QUESTION = "Đề nghị siêu thị giải trình nguồn gốc lô nước mắm đang bày bán, kèm hóa đơn nhập hàng."
ANSWER = "Lô hàng nhập từ nhà phân phối Hải Đăng ngày 05/11, hóa đơn số 0004567 gửi kèm."
SUMMARY = "Siêu thị đã xuất trình hóa đơn nhập hàng; cơ quan đang xác minh với nhà phân phối."


async def test_the_business_answers_through_its_link_once(mail_site, chrome, axe_source, smtp,
                                                          settings: Settings, screenshots):
    code, _ = file_a_report(mail_site)
    violations: dict[str, list[str]] = {}
    await assigned_by_the_lead(chrome, mail_site, code)

    inspector = await new_page(chrome, mail_site)
    await sign_in(inspector, "qltt")
    await inspector.goto(f"/staff/cases/{code}")
    await act(inspector, "Bắt đầu xử lý")
    form = "#request_explanation_and_wait"
    await act(inspector, "Yêu cầu cơ sở giải trình và chờ", {
        f"{form}-party_kind": "seller", f"{form}-party_name": "Siêu thị An Phú",
        f"{form}-party_email": BUSINESS, f"{form}-question": QUESTION})
    await expect(inspector.locator("dl.case-state")).to_contain_text("Chờ bổ sung thông tin")
    await expect(inspector.locator("#explanations ~ .explanation").first).to_contain_text(
        "Siêu thị An Phú")
    violations["case page with a request"] = await serious_violations(inspector, axe_source)

    # The business's mail: the question and a link, nothing of the reporter.
    await wait_for(lambda: bool(mail_to(smtp, BUSINESS, "giải trình")))
    mail = mail_to(smtp, BUSINESS, "giải trình")
    assert QUESTION in mail
    for trace in (CITIZEN, VALID_REPORT["description"]):
        assert trace not in mail
    link = re.search(r"http://\S+/explain/\S+", mail).group(0)

    business = await new_page(chrome, mail_site, PHONE, is_mobile=True, has_touch=True)
    # Meanwhile the public page says whom the case waits for: the business, not the reporter.
    await business.goto(f"/track?code={code}")
    await expect(business.locator("main")).to_contain_text("Chờ doanh nghiệp giải trình")
    await expect(business.locator("main")).not_to_contain_text("Chờ bổ sung thông tin")
    await business.goto(link)
    await expect(business.locator("#explanation-question")).to_contain_text(QUESTION)
    page_text = await business.locator("body").inner_text()
    assert CITIZEN not in page_text and VALID_REPORT["description"] not in page_text
    violations["business page"] = await serious_violations(business, axe_source)
    # A mistake: no text, only the file. The message is beside the field.
    await business.locator("#photos").set_input_files(
        [{"name": "hoa-don.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}])
    await business.get_by_role("button", name="Gửi giải trình").click()
    await expect(business.locator("#answer-error")).to_contain_text("Hãy viết nội dung giải trình")
    await business.get_by_label("Nội dung giải trình").fill(ANSWER)
    await business.locator("#photos").set_input_files(
        [{"name": "hoa-don.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}])
    await business.get_by_role("button", name="Gửi giải trình").click()
    await expect(business.locator("#explanation-sent")).to_contain_text("đã được tiếp nhận")
    await business.screenshot(path=screenshots / "business-explanation.png", full_page=True)
    # The same link again: refused, no form.
    answered_again = await business.goto(link)
    assert answered_again is not None and answered_again.status == 410
    await expect(business.locator("#link-refused")).to_contain_text("đã được sử dụng")
    assert await business.locator("form textarea").count() == 0

    # The inspector was told, sees the answer and the invoice, and publishes a summary.
    await wait_for(lambda: bool(mail_to(smtp, ACCOUNTS["qltt"][0], "đã trả lời")))
    await inspector.goto(f"/staff/cases/{code}")
    await expect(inspector.locator("dl.case-state")).to_contain_text("Đang xử lý")
    answer = inspector.locator(".explanation-answer")
    await expect(answer).to_contain_text(ANSWER)
    await expect(inspector.locator(".explanation")).to_contain_text("hoa-don.pdf")
    await inspector.get_by_label("Tóm tắt đăng trên trang công khai của phản ánh").fill(SUMMARY)
    await inspector.get_by_role("button", name="Công bố tóm tắt").click()
    await expect(inspector.locator(".explanation")).to_contain_text(SUMMARY)
    await business.goto(f"/track?code={code}")
    await expect(business.locator("#explanation-asked")).to_contain_text(
        "Đã yêu cầu cơ sở giải trình")
    await expect(business.locator(".reply.explanation")).to_contain_text(SUMMARY)
    assert ANSWER not in await business.locator("body").inner_text()

    # A second request, left until its deadline passed: its link is refused.
    await inspector.locator("summary", has_text=re.compile("^Yêu cầu cơ sở giải trình$")).click()
    for field, value in (("party_name", "Công ty Nước mắm Phú Quốc"),
                         ("party_email", "phap-che@nuocmam-phuquoc.vn"),
                         ("question", "Đề nghị xác nhận lô hàng có phải hàng chính hãng."),
                         ("days", "3")):
        await inspector.locator(f"#request_explanation-{field}").fill(value)
    await inspector.locator("#request_explanation-party_kind").select_option("brand_owner")
    await inspector.get_by_role("button", name="Yêu cầu cơ sở giải trình", exact=True).click()
    await inspector.wait_for_load_state()
    await wait_for(lambda: bool(mail_to(smtp, "phap-che@nuocmam-phuquoc.vn", "giải trình")))
    late_link = re.search(r"http://\S+/explain/\S+",
                          mail_to(smtp, "phap-che@nuocmam-phuquoc.vn", "giải trình")).group(0)
    async with running_app(settings):
        await ExplanationRequest.filter(party_email="phap-che@nuocmam-phuquoc.vn").update(
            due_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    expired = await business.goto(late_link)
    assert expired is not None and expired.status == 410
    await expect(business.locator("#link-refused")).to_contain_text("hết hạn")
    await inspector.goto("/staff/queue?overdue=1")
    await expect(inspector.locator("table.queue")).to_contain_text(VALID_REPORT["product_name"])
    assert not {page: found for page, found in violations.items() if found}
