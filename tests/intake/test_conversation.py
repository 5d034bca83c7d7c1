"""The conversation between the agency and the reporter, both ways, with every mail received by
a real SMTP server: the question reaches the reporter, the answer resumes the case and reaches
the inspector, staff hear about their own work (and may turn it off), and after the outcome
the reporter says whether they are satisfied — which may ask the agency for a review."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from starlette.applications import Starlette

from intake.settings import Settings
from tests.conftest import browser, running_app
from tests.helpers import REPORTER, VALID_REPORT, csrf_token, jpeg_with_gps, wait_for
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD, sign_in
from tests.intake.public.test_pages import file_and_read_receipt
from tests.smtp_server import SmtpServer
from workflows.access.accounts import create_user
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case, CaseFeedback, CaseMessage
from workflows.mail.models import OutboxMessage

QUESTION = "Anh/chị vui lòng cho biết tên sạp và chụp thêm ảnh tem trên nắp chai."
ANSWER = "Sạp số 12 của bà Tư, ảnh tem tôi gửi kèm."


@pytest.fixture
async def app(mail_settings: Settings) -> AsyncIterator[Starlette]:
    async with running_app(mail_settings) as application:
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
        yield application


@asynccontextmanager
async def staff(app: Starlette, who: str) -> AsyncIterator[httpx.AsyncClient]:
    async with browser(app) as client:
        await sign_in(client, who)
        yield client


async def post(client: httpx.AsyncClient, code: str, path: str = "",
               **fields: str) -> httpx.Response:
    token = await csrf_token(client, f"/staff/cases/{code}")
    version = str((await Case.get(tracking_code=code)).version)
    return await client.post(f"/staff/cases/{code}{path}",
                             data={"csrf_token": token, "version": version, **fields})


async def reporter_page(client: httpx.AsyncClient, code: str, pin: str) -> httpx.Response:
    token = await csrf_token(client, "/track")
    opened = await client.post("/track/access", data={"code": code, "pin": pin,
                                                      "csrf_token": token})
    assert opened.status_code == 303
    return await client.get(opened.headers["location"])


def mails(smtp_server: SmtpServer, to: str, subject: str) -> list[str]:
    return [mail.part("plain") for mail in smtp_server.handler.to(to)
            if subject in str(mail.message["Subject"])]


async def assigned_case(client: httpx.AsyncClient, app: Starlette,
                        fields: dict[str, str] | None = None) -> tuple[str, str]:
    code, pin, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER, **(fields or {})})
    inspector = await Case.get(tracking_code=code)
    async with staff(app, "qltt_lead") as lead:
        inspector_id = (await lead.get(f"/staff/cases/{code}")).text
        found = re.search(r'<option value="(\d+)"[^>]*>thanh-tra@qltt.gov.vn', inspector_id)
        assert found, "the inspector is not offered"
        assert (await post(lead, code, action="assign",
                           assignee_id=found.group(1))).status_code == 303
    assert inspector is not None
    return code, pin


async def test_the_question_reaches_the_reporter_and_the_answer_resumes_the_case(
        client, app, smtp_server):
    code, pin = await assigned_case(client, app)
    async with staff(app, "qltt") as inspector:
        assert (await post(inspector, code, action="start")).status_code == 303
        paused = await post(inspector, code, action="wait", question=QUESTION)
        assert paused.status_code == 303
    waiting = await Case.get(tracking_code=code)
    assert waiting.status == "waiting" and waiting.paused_at is not None

    await wait_for(lambda: bool(mails(smtp_server, REPORTER["reporter_email"], "đề nghị")))
    [asked] = mails(smtp_server, REPORTER["reporter_email"], "đề nghị")
    assert QUESTION in asked and f"/track?code={code}" in asked
    [status] = (await client.get(f"/open311/v2/requests/{code}.json")).json()
    assert status["status_notes"] == QUESTION
    page = await reporter_page(client, code, pin)
    assert QUESTION in page.text and "Cơ quan chức năng đề nghị" in page.text
    assert "đang chờ bạn trả lời" in page.text

    # A day later the reporter answers, with a photo: the case resumes, its due date moves.
    await Case.filter(id=waiting.id).update(paused_at=waiting.paused_at - dt.timedelta(days=3))
    token = await csrf_token(client, f"/track/{code}/reporter")
    answered = await client.post(f"/track/{code}/reporter",
                                 data={"body": ANSWER, "csrf_token": token},
                                 files=[("photos", ("tem.jpg", jpeg_with_gps(), "image/jpeg"))])
    assert answered.status_code == 303
    resumed = await Case.get(tracking_code=code)
    assert resumed.status == "in_progress" and resumed.paused_at is None
    assert resumed.due_at > waiting.due_at and resumed.new_info_at is not None
    resume = await AuditEvent.get(case_id=resumed.id, action="resume")
    assert resume.actor_type == "citizen"
    inspector_mail = ACCOUNTS["qltt"][0]
    await wait_for(lambda: bool(mails(smtp_server, inspector_mail, "trả lời câu hỏi")))
    [told] = mails(smtp_server, inspector_mail, "trả lời câu hỏi")
    assert f"/staff/cases/{code}" in told and ANSWER not in told  # a link, not the content

    # The queue marks new information until the agency opens the case.
    async with staff(app, "qltt_lead") as lead:
        marked = (await lead.get("/staff/queue", params={"new_info": "1"})).text
        assert code[:5] in marked and "thông tin mới" in marked
        async with staff(app, "officer") as officer:  # not the handling agency
            await officer.get(f"/staff/cases/{code}")
        assert (await Case.get(tracking_code=code)).new_info_at is not None
        page = (await lead.get(f"/staff/cases/{code}")).text
        assert (await Case.get(tracking_code=code)).new_info_at is None
        assert code[:5] not in (await lead.get("/staff/queue", params={"new_info": "1"})).text
    # The answer's photo stands with the answer, shown as a thumbnail.
    answer = page.split(ANSWER, 1)[1].split("</div>", 1)[0]
    assert 'class="thumbnails answer-photos"' in answer and "tem.jpg" in answer
    shown = re.search(r'<img src="(/staff/cases/\w+/attachments/\d+\?view=1)"', answer)
    assert shown
    # Shown in the page: audited, inline, and not a line of the case's timeline per view.
    async with staff(app, "qltt_lead") as lead:
        thumbnail = await lead.get(shown.group(1))
        assert thumbnail.status_code == 200 and thumbnail.headers["content-disposition"].startswith(
            "inline") and thumbnail.content[:3] == b"\xff\xd8\xff"
        again = (await lead.get(f"/staff/cases/{code}")).text
    assert await AuditEvent.filter(action="evidence_viewed").count() == 1
    assert "Tải tệp chứng cứ" not in again and "evidence_viewed" not in again
    assert again.count(">tem.jpg</a>") == 1  # with its answer, not again in the list


async def test_an_officer_asks_without_pausing_and_it_is_public(client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    async with staff(app, "officer") as officer:
        asked = await post(officer, code, "/replies", action="message", body=QUESTION,
                           kind="question")
        assert asked.status_code == 303
        # The page says what was done, as the button said it; a link cannot make it say so.
        done = (await officer.get(asked.headers["location"])).text
        assert "Đã thực hiện: Gửi dưới dạng câu hỏi." in done
        for forged in ("close", "resolve", asked.headers["location"].split("done=")[1][:-4]):
            page = (await officer.get(f"/staff/cases/{code}", params={"done": forged})).text
            assert "Đã thực hiện" not in page
    case = await Case.get(tracking_code=code)
    assert case.status == "received"  # nothing paused
    await wait_for(lambda: bool(mails(smtp_server, REPORTER["reporter_email"], "đề nghị")))
    updates = (await client.get("/open311/v2/servicerequestupdates.json")).json()
    assert [update["description"] for update in updates] == [QUESTION]
    # On /track it reads as a question to the reporter, not as an answer, until it is settled.
    tracked = (await client.get("/track", params={"code": code})).text
    asked_part = tracked.split("Câu hỏi của cơ quan chức năng gửi người phản ánh", 1)
    assert len(asked_part) == 2 and QUESTION in asked_part[1]
    assert "Trả lời của cơ quan chức năng" not in tracked
    await Case.filter(tracking_code=code).update(status="resolved",
                                                 resolved_at=dt.datetime.now(dt.UTC))
    settled = (await client.get("/track", params={"code": code})).text
    assert QUESTION not in settled and "Câu hỏi của cơ quan" not in settled


async def test_staff_hear_of_their_own_work_and_may_turn_each_kind_off(client, app, smtp_server):
    inspector_mail, lead_mail = ACCOUNTS["qltt"][0], ACCOUNTS["qltt_lead"][0]
    code, _ = await assigned_case(client, app)
    await wait_for(lambda: bool(mails(smtp_server, inspector_mail, "được giao cho bạn")))
    [assigned] = mails(smtp_server, inspector_mail, "được giao cho bạn")
    assert f"/staff/cases/{code}" in assigned
    assert not mails(smtp_server, lead_mail, "được giao cho bạn")  # not to the one who assigned

    async with staff(app, "qltt") as inspector:
        token = await csrf_token(inspector, "/staff/notices")
        saved = await inspector.post("/staff/notices", data={"csrf_token": token,
                                                             "receive": "transfer_notice"})
        assert saved.status_code == 200 and "Đã lưu" in saved.text
        assert 'value="assignment_notice"' in saved.text and 'checked> <label for="notice-assignment' not in saved.text
    second, _ = await assigned_case(client, app)
    async with staff(app, "officer") as officer:
        moved = await post(officer, second, action="transfer", agency_code="khcn",
                           reason="Thuộc lĩnh vực đo lường, chất lượng.")
        assert moved.status_code == 303
    await create_user("truong-phong@khcn.gov.vn", PASSWORD, "lead", "khcn", AGENCIES)
    third, _ = await assigned_case(client, app)
    async with staff(app, "officer") as officer:
        await post(officer, third, action="transfer", agency_code="khcn",
                   reason="Thuộc lĩnh vực đo lường, chất lượng.")
    await wait_for(lambda: bool(mails(smtp_server, "truong-phong@khcn.gov.vn", "chuyển đến")))
    assert len(mails(smtp_server, "truong-phong@khcn.gov.vn", "chuyển đến")) == 1  # the third
    kinds = await OutboxMessage.filter(recipient=inspector_mail).values_list("kind", flat=True)
    assert list(kinds).count("assignment_notice") == 1  # the later ones were turned off


async def test_the_reporter_page_shows_the_outcome_and_can_be_left(client, app, smtp_server):
    code, pin = await assigned_case(client, app)
    async with staff(app, "qltt") as inspector:
        await post(inspector, code, action="start")
        resolved = await post(inspector, code, action="resolve", outcome="violation_confirmed",
                              public_outcome="Đã xử phạt cơ sở và tịch thu 120 chai.",
                              fine_vnd="15.000.000")
        assert resolved.status_code == 303
    page = await reporter_page(client, code, pin)
    assert "Đã xử phạt cơ sở và tịch thu 120 chai." in page.text
    assert 'action="/track/' + code + '/reporter" enctype' not in page.text  # no additions
    token = await csrf_token(client, f"/track/{code}/reporter")
    refused = await client.post(f"/track/{code}/reporter", data={"body": "Thêm nữa ạ, thêm nữa.",
                                                                  "csrf_token": token})
    assert refused.status_code == 400 and "đã đóng" in refused.text
    assert "set-cookie" in page.headers  # signed again at each visit: 30 minutes idle
    copied = client.cookies.get("intake_reporter", path="/track")  # a shared phone's backup
    async with browser(app) as other_tab:
        other_tab.cookies.set("intake_reporter", copied, path="/track")
        assert (await other_tab.get(f"/track/{code}/reporter")).status_code == 200
        left = await client.post(f"/track/{code}/reporter/sign-out", data={"csrf_token": token})
        assert left.status_code == 303 and "signed_out=1" in left.headers["location"]
        assert (await client.get(f"/track/{code}/reporter")).status_code == 303  # the PIN again
        # "Thoát" ended the page on the server: the copy of the old cookie opens nothing.
        again = await other_tab.get(f"/track/{code}/reporter")
        assert again.status_code == 303 and again.headers["location"].startswith("/track?code=")
    page = await reporter_page(client, code, pin)  # the code and PIN open a new one
    assert page.status_code == 200 and "Đã xử phạt cơ sở" in page.text


async def resolve(app: Starlette, code: str, outcome: str = "not_confirmed") -> None:
    async with staff(app, "qltt") as inspector:
        await post(inspector, code, action="start")
        done = await post(inspector, code, action="resolve", outcome=outcome,
                          public_outcome="Không phát hiện vi phạm tại sạp.")
        assert done.status_code == 303, done.text[:500]


async def test_not_satisfied_asks_for_a_review_the_lead_declines_with_a_reason(
        client, app, smtp_server):
    code, pin = await assigned_case(client, app)
    await resolve(app, code)
    def feedback_links() -> list[str]:
        return [mail for mail in mails(smtp_server, REPORTER["reporter_email"], "")
                if "/feedback/" in mail]

    await wait_for(lambda: bool(feedback_links()))
    [notice] = feedback_links()
    assert "Bạn có hài lòng với kết quả xử lý?" in notice
    unhappy = re.findall(r"http://testserver(/feedback/\S+)", notice)[1]
    form = await client.get(unhappy)
    assert form.status_code == 200 and "Bạn có hài lòng với kết quả xử lý?" in form.text
    assert (await client.get(unhappy[:-3] + "xyz")).status_code == 410  # tampered
    token = await csrf_token(client, unhappy)
    sent = await client.post(unhappy, data={"csrf_token": token, "satisfied": "no",
                                            "comment": "Sạp vẫn bán hàng giả hôm nay."})
    assert sent.status_code == 303
    again = await client.post(unhappy, data={"csrf_token": token, "satisfied": "yes"})
    assert again.status_code == 400 and "đã được ghi nhận" in again.text
    feedback = await CaseFeedback.get(case__tracking_code=code)
    assert (feedback.satisfied, feedback.review) == (False, "pending")

    lead_mail = ACCOUNTS["qltt_lead"][0]
    await wait_for(lambda: bool(mails(smtp_server, lead_mail, "xem xét lại")))
    async with staff(app, "qltt_lead") as lead:
        queue = (await lead.get("/staff/queue", params={"review": "1"})).text
        assert code[:5] in queue and "đề nghị xem xét lại" in queue
        no_reason = await post(lead, code, "/review", action="review", decision="decline")
        assert no_reason.status_code == 400 and "Sạp vẫn bán hàng giả hôm nay." in no_reason.text
        declined = await post(lead, code, "/review", action="review", decision="decline",
                              reason="Đoàn đã kiểm tra lại ngày 20/11, không thấy hàng giả.")
        assert declined.status_code == 303
        told = (await lead.get(declined.headers["location"])).text
        assert "Đã thực hiện: Không chấp nhận, nêu lý do." in told
    assert (await CaseFeedback.get(id=feedback.id)).review == "declined"
    await wait_for(lambda: bool(mails(smtp_server, REPORTER["reporter_email"], "xem xét lại")))
    page = await reporter_page(client, code, pin)
    assert "không thấy hàng giả" in page.text and "giữ nguyên kết quả" in page.text


async def test_a_granted_review_reopens_the_case_and_a_late_answer_asks_none(client, app):
    code, pin = await assigned_case(client, app)
    await resolve(app, code)
    page = await reporter_page(client, code, pin)
    token = await csrf_token(client, f"/track/{code}/reporter")
    unanswered = await client.post(f"/track/{code}/reporter/feedback", data={"csrf_token": token})
    assert unanswered.status_code == 400 and "Hãy chọn bạn có hài lòng hay không." in unanswered.text
    assert "Bạn có hài lòng" in page.text
    await client.post(f"/track/{code}/reporter/feedback", data={"csrf_token": token,
                                                                "satisfied": "no"})
    async with staff(app, "qltt_lead") as lead:
        granted = await post(lead, code, "/review", action="review", decision="grant",
                             reason="Kiểm tra lại theo đề nghị của người phản ánh.")
        assert granted.status_code == 303
    assert (await Case.get(tracking_code=code)).status == "in_progress"

    late, late_pin = await assigned_case(client, app)
    await resolve(app, late)
    await Case.filter(tracking_code=late).update(
        resolved_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=16))
    await reporter_page(client, late, late_pin)
    token = await csrf_token(client, f"/track/{late}/reporter")
    await client.post(f"/track/{late}/reporter/feedback", data={"csrf_token": token,
                                                                "satisfied": "no"})
    answer = await CaseFeedback.get(case__tracking_code=late)
    assert (answer.satisfied, answer.review) == (False, "")  # counted, but no review


async def test_a_resolve_form_with_a_mistake_comes_back_as_typed(client, app):
    code, _ = await assigned_case(client, app)
    typed = {"action": "resolve", "outcome": "violation_confirmed",
             "public_outcome": "Đã xử phạt cơ sở.", "fine_vnd": "5.000.000",
             "legal_basis": "Nghị định 98/2020/NĐ-CP", "decision_number": "15/QĐ-XPHC",
             "violator_tax_code": "0100233489", "seized_1_name": "Nước mắm giả",
             "seized_1_quantity": "120 chai", "seized_1_unit": "", "seized_1_value": "5.400.000"}
    async with staff(app, "qltt") as inspector:
        await post(inspector, code, action="start")
        refused = await post(inspector, code, **typed)
        assert refused.status_code == 400
        assert str(refused.url).endswith(f"/staff/cases/{code}")
        page = refused.text
        for value in ("Đã xử phạt cơ sở.", "5.000.000", "Nghị định 98/2020/NĐ-CP", "15/QĐ-XPHC",
                      "Nước mắm giả", "120 chai", "5.400.000"):
            assert value in page, value
        assert 'id="resolve-seized_1_quantity-error"' in page
        assert "Ở đây chỉ nhập số (120); ghi đơn vị tính vào ô “Đơn vị tính” (chai)." in page
        assert 'id="resolve-violator_tax_code-error"' in page
        assert 'id="resolve-seized_1_unit-error"' in page
        assert '<details class="action" id="action-resolve" open>' in page
        fixed = await post(inspector, code, **{**typed, "seized_1_quantity": "120",
                                               "seized_1_unit": "chai",
                                               "violator_tax_code": "0100233488"})
        assert fixed.status_code == 303
        shown = (await inspector.get(f"/staff/cases/{code}")).text
    assert "120 chai" in shown and "5.400.000 ₫" in shown and "0100233488" in shown


async def test_a_review_is_decided_once_and_any_reopening_answers_it(client, app, smtp_server):
    code, pin = await assigned_case(client, app)
    await resolve(app, code)
    await reporter_page(client, code, pin)
    token = await csrf_token(client, f"/track/{code}/reporter")
    await client.post(f"/track/{code}/reporter/feedback", data={"csrf_token": token,
                                                                "satisfied": "no"})
    async with staff(app, "qltt_lead") as lead, staff(app, "officer") as officer:
        token_lead = await csrf_token(lead, f"/staff/cases/{code}")
        token_officer = await csrf_token(officer, f"/staff/cases/{code}")
        version = str((await Case.get(tracking_code=code)).version)
        answers = await asyncio.gather(
            lead.post(f"/staff/cases/{code}/review", data={
                "csrf_token": token_lead, "version": version, "action": "review",
                "decision": "grant", "reason": "Kiểm tra lại theo đề nghị."}),
            officer.post(f"/staff/cases/{code}/review", data={
                "csrf_token": token_officer, "version": version, "action": "review",
                "decision": "decline", "reason": "Giữ nguyên kết quả."}))
    assert sorted(answer.status_code for answer in answers) == [303, 400]
    [decided] = await CaseFeedback.filter(case__tracking_code=code)
    case = await Case.get(tracking_code=code)
    assert (decided.review == "granted") == (case.status == "in_progress")
    await wait_for(lambda: bool(mails(smtp_server, REPORTER["reporter_email"], "xem xét lại")))
    [answer] = mails(smtp_server, REPORTER["reporter_email"], "xem xét lại")
    reopened, kept = "đã mở lại phản ánh", "quyết định không mở lại"
    assert (reopened in answer, kept in answer) == ((True, False) if decided.review == "granted"
                                                    else (False, True))

    # Resolved again, not satisfied again; the lead reopens with the ordinary action: the
    # request is answered by it, and no stale one is left to decide.
    if case.status != "in_progress":
        async with staff(app, "qltt_lead") as lead:
            await post(lead, code, action="reopen", reason="Mở lại để kiểm tra lại.")
    async with staff(app, "qltt") as inspector:
        await post(inspector, code, action="resolve", outcome="not_confirmed",
                   public_outcome="Kiểm tra lần hai không thấy vi phạm.")
    await reporter_page(client, code, pin)
    token = await csrf_token(client, f"/track/{code}/reporter")
    await client.post(f"/track/{code}/reporter/feedback", data={"csrf_token": token,
                                                                "satisfied": "no"})
    async with staff(app, "qltt_lead") as lead:
        await post(lead, code, action="reopen", reason="Giao đoàn khác kiểm tra.")
        assert not await CaseFeedback.filter(case__tracking_code=code, review="pending").exists()
        late = await post(lead, code, "/review", action="review", decision="decline",
                          reason="Không cần nữa.")
        assert late.status_code == 400


async def test_an_addition_sent_while_the_case_is_closed_is_refused(client, app, monkeypatch):
    from workflows.cases import filing

    code, pin = await assigned_case(client, app)
    await reporter_page(client, code, pin)
    token = await csrf_token(client, f"/track/{code}/reporter")
    checked = filing.check_contents

    async def closing_meanwhile(uploads, policy):  # staff resolve while the photo uploads
        await Case.filter(tracking_code=code).update(status="resolved")
        return await checked(uploads, policy)

    monkeypatch.setattr(filing, "check_contents", closing_meanwhile)
    late = await client.post(f"/track/{code}/reporter", data={"body": ANSWER, "csrf_token": token},
                             files=[("photos", ("tem.jpg", jpeg_with_gps(), "image/jpeg"))])
    assert late.status_code == 400 and "đã đóng" in late.text
    assert not await CaseMessage.filter(case__tracking_code=code, author="reporter").exists()
    assert not await Attachment.filter(case__tracking_code=code, added_by="reporter").exists()
