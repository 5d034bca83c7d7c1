"""A business asked to explain, end to end over HTTP, every mail received by a real SMTP
server: the request (and the case put on hold if staff choose), the business's single-use
link, its answer with documents, the inspector told, the summary on /track; a link used, at
the same moment twice, expired, forged or for a closed case is refused and stores nothing; a
late answer shows as overdue in the queue and the digest. Nothing of the reporter reaches the
business: its mail and pages are searched for every piece of the reporter's data."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import hashlib
import re

import httpx
import pytest

from intake.links import explanation_token
from tests.helpers import MINIMAL_PDF, REPORTER, VALID_REPORT, csrf_token, wait_for
from tests.intake.conftest import ACCOUNTS
from tests.intake.test_conversation import app as app  # noqa: F401 (the fixture: staff, mail)
from tests.intake.test_conversation import assigned_case, mails, post, reporter_page, staff
from workflows.access.models import StaffUser
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case
from workflows.mail.digests import queue_due_digests
from workflows.mail.models import OutboxMessage
from workflows.parties.models import ExplanationRequest

BUSINESS = "kinh-doanh@cuahang-minhphat.vn"
QUESTION = "Đề nghị cơ sở giải trình nguồn gốc lô dầu gội Clear đang bày bán, kèm hóa đơn nhập hàng."
ANSWER = "Hàng nhập từ Công ty TNHH Phân phối An Khang ngày 02/11, hóa đơn số 0001234 kèm theo."
SUBJECT = "giải trình"
# The reporter's link to the shop's page: a share link names who shared it.
SHARED_LINK = "https://shopee.vn/product/88/12?sp_atk=hang.nguyen&share_from=0912345678"
# Everything the reporter gave that a business must never see.
REPORTER_TRACES = (REPORTER["reporter_name"], REPORTER["reporter_email"],
                   REPORTER["reporter_phone"], VALID_REPORT["description"], SHARED_LINK,
                   "sp_atk")


def ask(**changes: str) -> dict[str, str]:
    return {"action": "request_explanation_and_wait", "party_kind": "seller",
            "party_name": "Cửa hàng Minh Phát", "party_email": BUSINESS, "question": QUESTION,
            **changes}


async def asked_case(client: httpx.AsyncClient, app, smtp_server, **changes: str
                     ) -> tuple[str, str, str]:
    """A case in progress (bought online, through a share link) whose inspector asked the
    business; its code, PIN and the link."""
    code, pin = await assigned_case(client, app, {"sales_channel": "online", "platform": "Shopee",
                                                  "online_url": SHARED_LINK})
    async with staff(app, "qltt") as inspector:
        assert (await post(inspector, code, action="start")).status_code == 303
        assert (await post(inspector, code, **ask(**changes))).status_code == 303
    await wait_for(lambda: bool(mails(smtp_server, BUSINESS, SUBJECT)))
    [mail] = mails(smtp_server, BUSINESS, SUBJECT)
    [link] = re.findall(r"http://testserver(/explain/\S+)", mail)
    return code, pin, link


async def send(client: httpx.AsyncClient, link: str, answer: str = ANSWER,
               files: list | None = None) -> httpx.Response:
    page = await client.get(link)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return await client.post(link, data={"answer": answer,
                                         "csrf_token": token.group(1) if token else ""},
                             files=files or [])


def assert_nothing_of_the_reporter(text: str) -> None:
    for trace in REPORTER_TRACES:
        assert trace not in text


async def test_the_business_answers_once_and_the_inspector_sees_it(client, app, smtp_server):
    code, pin, link = await asked_case(client, app, smtp_server)
    waiting = await Case.get(tracking_code=code)
    assert waiting.status == "waiting" and waiting.paused_at is not None
    assert waiting.online_url == SHARED_LINK  # the staff have it; the business must not
    [mail] = smtp_server.handler.to(BUSINESS)
    assert QUESTION in mail.part("plain") and VALID_REPORT["product_name"] in mail.part("plain")
    for part in (mail.part("plain"), mail.part("html"), str(mail.message["Subject"])):
        assert_nothing_of_the_reporter(part)
    tracked = (await client.get("/track", params={"code": code})).text
    assert "Đã yêu cầu cơ sở giải trình" in tracked
    # On hold for the business, not for the reporter: said as such.
    assert "Chờ doanh nghiệp giải trình" in tracked and "Chờ bổ sung thông tin" not in tracked
    assert "Chờ doanh nghiệp giải trình" in (await reporter_page(client, code, pin)).text

    business = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver")
    async with business:
        page = await business.get(link)
        assert page.status_code == 200 and QUESTION in page.text
        assert_nothing_of_the_reporter(page.text)
        # A day on hold, then the answer with an invoice: the case resumes, its clock moved.
        await Case.filter(id=waiting.id).update(paused_at=waiting.paused_at - dt.timedelta(days=3))
        sent = await send(business, link, files=[("photos", ("hoa-don.pdf", MINIMAL_PDF,
                                                             "application/pdf"))])
        assert sent.status_code == 303
        thanks = await business.get(sent.headers["location"])
        assert "đã được tiếp nhận" in thanks.text
        again = await send(business, link, answer="Một giải trình khác.")
        assert again.status_code == 410 and "đã được sử dụng" in again.text
        assert (await business.get(link)).status_code == 410

    [answered] = await ExplanationRequest.filter(case_id=waiting.id)
    assert answered.answer == ANSWER and answered.answered_at is not None
    [document] = await Attachment.filter(case_id=waiting.id, explanation_id=answered.id)
    assert document.added_by == "business" and document.original_name == "hoa-don.pdf"
    resumed = await Case.get(id=waiting.id)
    assert resumed.status == "in_progress" and resumed.due_at > waiting.due_at
    event = await AuditEvent.get(case_id=waiting.id, action="explanation_answered")
    assert event.actor_type == "business"
    assert event.after["answer_sha256"] == hashlib.sha256(ANSWER.encode()).hexdigest()
    inspector_mail = ACCOUNTS["qltt"][0]
    await wait_for(lambda: bool(mails(smtp_server, inspector_mail, "đã trả lời")))
    [told] = mails(smtp_server, inspector_mail, "đã trả lời")
    assert f"/staff/cases/{code}" in told and ANSWER not in told

    async with staff(app, "qltt") as inspector:
        shown = (await inspector.get(f"/staff/cases/{code}")).text
        assert ANSWER in shown and "hoa-don.pdf" in shown and "Cơ sở đã gửi giải trình" in shown
        summary = "Cơ sở đã xuất trình hóa đơn nhập hàng; cơ quan đang xác minh với nhà phân phối."
        token = await csrf_token(inspector, f"/staff/cases/{code}")
        published = await inspector.post(f"/staff/cases/{code}/explanations/{answered.id}",
                                         data={"csrf_token": token, "summary": summary})
        assert published.status_code == 303
    public = (await client.get("/track", params={"code": code})).text
    assert summary in public and ANSWER not in public
    # Open311 clients learn the same: the request, then the summary, never the answer.
    feed = (await client.get("/open311/v2/servicerequestupdates.json")).json()
    said = [update["description"] for update in feed if update["service_request_id"] == code]
    assert any("được yêu cầu giải trình" in words for words in said) and summary in said
    assert not any(ANSWER in words for words in said)
    # The business's mail is the only one it got.
    assert len(smtp_server.handler.to(BUSINESS)) == 1


async def test_a_used_link_answers_once_even_when_sent_twice_at_once(client, app, smtp_server):
    code, _, link = await asked_case(client, app, smtp_server, action="request_explanation")
    assert (await Case.get(tracking_code=code)).status == "in_progress"  # not put on hold
    page = await client.get(link)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answers = await asyncio.gather(*(client.post(link, data={"answer": f"{ANSWER} ({n})",
                                                             "csrf_token": token})
                                     for n in range(2)))
    assert sorted(answer.status_code for answer in answers) == [303, 410]
    [stored] = await ExplanationRequest.filter(case__tracking_code=code)
    assert stored.answer in {f"{ANSWER} (0)", f"{ANSWER} (1)"}
    assert await AuditEvent.filter(case_id=stored.case_id, action="explanation_answered").count() == 1


async def test_expired_forged_and_closed_links_are_refused_and_the_late_answer_is_overdue(
        client, app, smtp_server):
    code, _, link = await asked_case(client, app, smtp_server, action="request_explanation",
                                     days="2")
    request = await ExplanationRequest.get(case__tracking_code=code)
    case = await Case.get(tracking_code=code)
    assert request.due_at > dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    # Forged: another nonce, another request id, a token signed with another key, garbage.
    for forged in (explanation_token("khóa khác", request.id, request.link_nonce),
                   explanation_token(app.state.intake.settings.secret_key, request.id, "x" * 43),
                   explanation_token(app.state.intake.settings.secret_key, request.id + 1,
                                     request.link_nonce),
                   "abc", link.rsplit("/", 1)[1][:-2]):
        refused = await client.get(f"/explain/{forged}")
        assert refused.status_code == 404 and "không hợp lệ" in refused.text
        assert QUESTION not in refused.text

    # Past the deadline: refused, nothing stored, and the case shows as overdue.
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    await ExplanationRequest.filter(id=request.id).update(due_at=past)
    expired = await send(client, link)
    assert expired.status_code == 410 and "hết hạn" in expired.text
    assert (await ExplanationRequest.get(id=request.id)).answered_at is None
    async with staff(app, "qltt_lead") as lead:
        overdue = (await lead.get("/staff/queue", params={"overdue": "1"})).text
        assert code[:5] in overdue
        assert "quá hạn: chưa trả lời" in (await lead.get(f"/staff/cases/{code}")).text
    notifier = app.state.intake.outbox_sender.notifier
    assert await queue_due_digests(notifier, 0, dt.datetime.now(dt.UTC)) >= 1
    digest = await OutboxMessage.get(kind="overdue_digest",
                                     recipient=ACCOUNTS["qltt_lead"][0])
    assert code[:5] in digest.body_text and "cơ sở giải trình quá hạn" in digest.body_text

    # A new request for a case that is then closed: its link no longer opens.
    await ExplanationRequest.filter(id=request.id).update(due_at=past + dt.timedelta(days=9))
    await Case.filter(id=case.id).update(status="closed")
    closed = await client.get(link)
    assert closed.status_code == 410 and "đã kết thúc" in closed.text


@pytest.mark.parametrize("changes, field, message", [
    ({"party_email": "kinh doanh@"}, "party_email", "email"),
    ({"party_email": "a@b.vn, c@d.vn"}, "party_email", "email"),
    ({"question": "  "}, "question", "cần giải trình"),
    ({"party_name": ""}, "party_name", "tên cơ sở"),
    ({"party_kind": "police"}, "party_kind", "người bán hoặc chủ sở hữu"),
    ({"days": "0"}, "days", "từ 1 đến 60"),
    ({"days": "61"}, "days", "từ 1 đến 60"),
    ({"days": "năm"}, "days", "từ 1 đến 60"),
])
async def test_a_request_with_a_mistake_says_which_field_and_keeps_what_was_typed(
        client, app, smtp_server, changes, field, message):
    code, _ = await assigned_case(client, app)
    async with staff(app, "qltt") as inspector:
        await post(inspector, code, action="start")
        refused = await post(inspector, code, **ask(**changes))
    assert refused.status_code == 400
    problem = re.search(rf'id="request_explanation_and_wait-{field}-error">([^<]+)<', refused.text)
    assert problem and message in problem.group(1)
    assert QUESTION in refused.text or field == "question"
    assert not await ExplanationRequest.exists(case__tracking_code=code)
    assert (await Case.get(tracking_code=code)).status == "in_progress"


async def test_only_the_agency_handling_the_case_may_ask(client, app, smtp_server):
    code, _ = await assigned_case(client, app)
    version = str((await Case.get(tracking_code=code)).version)
    async with staff(app, "khcn") as other_agency:  # cannot even see the case
        token = await csrf_token(other_agency, "/staff/queue")
        hidden = await other_agency.post(f"/staff/cases/{code}", data={
            "csrf_token": token, "version": version, **ask(action="request_explanation")})
        assert hidden.status_code == 404
    async with staff(app, "officer") as officer:  # sees it, may not ask
        refused = await post(officer, code, **ask(action="request_explanation"))
        assert refused.status_code == 400 and "Vai trò của bạn" in refused.text
    assert not await ExplanationRequest.exists(case__tracking_code=code)


async def test_the_reporter_adding_information_does_not_end_the_wait_for_the_business(
        client, app, smtp_server):
    code, pin, _ = await asked_case(client, app, smtp_server)
    page = await reporter_page(client, code, pin)
    assert "đang chờ cơ sở kinh doanh giải trình" in page.text
    token = await csrf_token(client, f"/track/{code}/reporter")
    added = await client.post(f"/track/{code}/reporter",
                              data={"body": "Tôi bổ sung ảnh hóa đơn mua hàng.",
                                    "csrf_token": token})
    assert added.status_code == 303
    assert (await Case.get(tracking_code=code)).status == "waiting"


async def publish(client: httpx.AsyncClient, code: str, request_id: int,
                  summary: str) -> httpx.Response:
    token = await csrf_token(client, f"/staff/cases/{code}")
    return await client.post(f"/staff/cases/{code}/explanations/{request_id}",
                             data={"csrf_token": token, "summary": summary})


async def test_a_summary_is_published_once_by_the_agency_handling_the_case(
        client, app, smtp_server):
    code, _, link = await asked_case(client, app, smtp_server, action="request_explanation")
    request = await ExplanationRequest.get(case__tracking_code=code)
    async with staff(app, "qltt") as inspector:
        early = await publish(inspector, code, request.id, "Chưa có gì.")
        assert early.status_code == 400 and "chưa trả lời" in early.text
    assert (await send(client, link)).status_code == 303
    async with staff(app, "officer") as officer:  # sees the case, is not its agency
        refused = await publish(officer, code, request.id, "Tóm tắt của cán bộ tiếp nhận.")
        assert refused.status_code == 400
    async with staff(app, "qltt") as inspector:
        assert (await publish(inspector, code, request.id, "Cơ sở đã giải trình.")).status_code == 303
        again = await publish(inspector, code, request.id, "Một tóm tắt khác.")
        assert again.status_code == 400 and "đã được công bố" in again.text
        other = await publish(inspector, code, request.id + 1000, "Không có yêu cầu này.")
        assert other.status_code == 400
    feed = (await client.get("/open311/v2/servicerequestupdates.json")).json()
    said = [update["description"] for update in feed]
    assert "Cơ sở đã giải trình." in said and "Một tóm tắt khác." not in said
    assert "Tóm tắt của cán bộ tiếp nhận." not in said


async def test_a_withdrawn_request_closes_its_link_and_is_never_overdue(client, app, smtp_server):
    code, _, link = await asked_case(client, app, smtp_server, action="request_explanation")
    request = await ExplanationRequest.get(case__tracking_code=code)
    async with staff(app, "qltt") as inspector:
        token = await csrf_token(inspector, f"/staff/cases/{code}")
        withdrawn = await inspector.post(
            f"/staff/cases/{code}/explanations/{request.id}/withdraw", data={"csrf_token": token})
        assert withdrawn.status_code == 303
    refused = await send(client, link)
    assert refused.status_code == 410 and "rút lại" in refused.text
    await ExplanationRequest.filter(id=request.id).update(
        due_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    async with staff(app, "qltt_lead") as lead:
        assert code[:5] not in (await lead.get("/staff/queue", params={"overdue": "1"})).text
        assert "Đã rút lại yêu cầu giải trình" in (await lead.get(f"/staff/cases/{code}")).text


async def test_a_later_wait_for_the_reporter_is_the_reporters_to_end(client, app, smtp_server):
    """Put on hold for the business, resumed by staff, then on hold for the reporter: the
    reporter's answer resumes the case, the business's late answer does not."""
    code, pin, link = await asked_case(client, app, smtp_server)
    async with staff(app, "qltt") as inspector:
        assert (await post(inspector, code, action="resume")).status_code == 303
        assert (await post(inspector, code, action="wait",
                           question="Anh/chị chụp thêm ảnh tem giúp.")).status_code == 303
    assert (await send(client, link)).status_code == 303
    assert (await Case.get(tracking_code=code)).status == "waiting"
    page = await reporter_page(client, code, pin)
    assert "đang chờ bạn trả lời" in page.text
    token = await csrf_token(client, f"/track/{code}/reporter")
    await client.post(f"/track/{code}/reporter", data={"body": "Ảnh tem đây ạ.",
                                                       "csrf_token": token})
    assert (await Case.get(tracking_code=code)).status == "in_progress"


async def test_the_business_can_answer_a_person_and_check_that_the_mail_is_genuine(
        client, app, smtp_server):
    code, _ = await assigned_case(client, app)
    await StaffUser.filter(email=ACCOUNTS["qltt"][0]).update(name="Nguyễn Văn An")
    async with staff(app, "qltt") as inspector:
        assert (await post(inspector, code, action="start")).status_code == 303
        assert (await post(inspector, code, **ask())).status_code == 303
    await wait_for(lambda: bool(mails(smtp_server, BUSINESS, SUBJECT)))
    [mail] = smtp_server.handler.to(BUSINESS)
    # From: the service's address under the agency's name; a reply reaches the agency.
    assert email.utils.parseaddr(str(mail.message["From"])) == (
        "Chi cục Quản lý thị trường", "no-reply@intake.example.vn")
    assert str(mail.message["Reply-To"]) == "qltt@example.gov.vn"
    text = mail.part("plain")
    # Who asks, how to reach them, under which law, and how to check the mail.
    for expected in ("Người đề nghị: Nguyễn Văn An, Chi cục Quản lý thị trường",
                     "Điện thoại: 0258 3 000 001", "Căn cứ pháp lý: Pháp lệnh Quản lý thị trường",
                     "Đường dây nóng: 0258 3 000 000", "chỉ dẫn tới testserver",
                     "Sở Công Thương tỉnh Khánh Hòa"):
        assert expected in text, expected
    assert "Nguyễn Văn An" in mail.part("html")
    assert "Intake" not in str(mail.message["Subject"]) + text + mail.part("html")


async def test_an_officer_may_have_the_business_reply_to_their_own_mailbox(
        client, app, smtp_server):
    code, _ = await assigned_case(client, app)
    async with staff(app, "qltt") as inspector:
        page = (await inspector.get(f"/staff/cases/{code}")).text
        assert "Thư trả lời gửi về" in page and "Hộp thư của tôi" in page
        assert (await post(inspector, code, action="start")).status_code == 303
        assert (await post(inspector, code, **ask(reply_to="me"))).status_code == 303
    await wait_for(lambda: bool(mails(smtp_server, BUSINESS, SUBJECT)))
    [mail] = smtp_server.handler.to(BUSINESS)
    assert str(mail.message["Reply-To"]) == ACCOUNTS["qltt"][0]
    assert email.utils.parseaddr(str(mail.message["From"]))[0] == "Chi cục Quản lý thị trường"
