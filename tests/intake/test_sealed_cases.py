"""A case with the police tips off no one, walked end to end over HTTP with every mail received
by a real SMTP server: a business asked to explain, a verified brand owner asked, a follower
confirmed; then the case is referred to the police. The business's link, the owner's page,
/track, Open311 (one request, the list, the updates, in JSON and XML) and the follower's inbox
are searched for the police unit's name and for the tracking code where it must not be; the
reporter is told only that the competent authority handles it; the audit log records the
seal and what it closed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from starlette.applications import Starlette

from tests.conftest import browser
from tests.helpers import MINIMAL_PDF, REPORTER, VALID_REPORT, csrf_token, wait_for
from tests.intake.conftest import AGENCIES, PASSWORD
from tests.intake.public.test_pages import file_and_read_receipt
from tests.intake.test_brand_owners import ASKED, owner_mail, verified_owner
from tests.intake.test_brand_owners import app as app  # noqa: F401 (the fixture)
from tests.intake.test_conversation import assigned_case, mails, post, reporter_page, staff
from tests.intake.test_explanations import BUSINESS, SUBJECT, ask
from tests.intake.test_following import follow, mails_to, press
from workflows.access.accounts import create_user
from workflows.audit.models import AuditEvent
from workflows.cases.models import Case, CaseUpdate
from workflows.cases.tracking import format_tracking_code
from workflows.parties.models import BrandInquiry, ExplanationRequest
from workflows.parties.references import format_reference

FOLLOWER = "nguoi-theo-doi@example.vn"
POLICE_LEAD = "dieu-tra@pc03.gov.vn"
NEUTRAL = "Đang được cơ quan chức năng xử lý"
POLICE_REPLY = "Cơ quan điều tra đã tiếp nhận và đang xác minh."


def police_traces(app: Starlette) -> tuple[str, ...]:
    """Whatever would name the police unit: its names, code and mailbox, and the words."""
    unit = app.state.intake.reference.agencies["pc03"]
    return (unit.name_vi, unit.name_en, unit.email, "pc03", "Cảnh sát", "cảnh sát", "Công an",
            "công an", "Police", "police")


def assert_no_police(app: Starlette, text: str) -> None:
    for trace in police_traces(app):
        assert trace not in text, trace


def assert_no_code(code: str, text: str) -> None:
    assert code not in text and format_tracking_code(code) not in text


@asynccontextmanager
async def police(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    await create_user(POLICE_LEAD, PASSWORD, "lead", "pc03", AGENCIES)
    async with browser(app) as client:
        token = await csrf_token(client, "/staff/login")
        signed_in = await client.post("/staff/login", data={
            "email": POLICE_LEAD, "password": PASSWORD, "csrf_token": token})
        assert signed_in.status_code == 303
        yield client


async def open311(client: httpx.AsyncClient, code: str) -> list[str]:
    """Every Open311 answer that could show the case, as text."""
    paths = [f"/open311/v2/requests/{code}.json", f"/open311/v2/requests/{code}.xml",
             "/open311/v2/requests.json", "/open311/v2/requests.xml",
             "/open311/v2/servicerequestupdates.json", "/open311/v2/servicerequestupdates.xml"]
    answers = [await client.get(path) for path in paths]
    assert all(answer.status_code == 200 for answer in answers)
    return [answer.text for answer in answers]


async def referred_case(app: Starlette, client: httpx.AsyncClient, smtp_server
                        ) -> tuple[str, str, str, str]:
    """A case whose brand owner was asked by its lead, followed by a confirmed follower, whose
    inspector asked the business to explain; then referred to the police. Its code, PIN, the
    business's link and the owner's link."""
    owner = await verified_owner(app)
    code, pin = await assigned_case(client, app)
    async with staff(app, "qltt_lead") as lead:
        assert (await post(lead, code, action="ask_brand_owner",
                           brand_owner_id=str(owner.id))).status_code == 303
    await wait_for(lambda: bool(owner_mail(smtp_server, ASKED)))
    [owner_link] = re.findall(r"http://testserver(/brands/inquiries/\S+)",
                              owner_mail(smtp_server, ASKED)[0])
    assert (await follow(client, code, FOLLOWER)).status_code == 200
    await wait_for(lambda: bool(mails_to(smtp_server, FOLLOWER)))
    confirm = re.search(r"http://testserver(/follow/\S+)", mails_to(smtp_server, FOLLOWER)[0])
    assert (await press(client, confirm.group(1))).status_code == 200
    async with staff(app, "qltt") as inspector:
        assert (await post(inspector, code, action="start")).status_code == 303
        asked = await post(inspector, code, **ask(action="request_explanation"))
        assert asked.status_code == 303
    await wait_for(lambda: bool(mails(smtp_server, BUSINESS, SUBJECT)))
    await wait_for(lambda: len(mails_to(smtp_server, FOLLOWER)) == 3)  # confirm, start, asked
    [business_link] = re.findall(r"http://testserver(/explain/\S+)",
                                 mails(smtp_server, BUSINESS, SUBJECT)[0])
    async with staff(app, "qltt_lead") as lead:
        referred = await post(lead, code, action="refer_to_police",
                              reason="Dấu hiệu sản xuất hàng giả quy mô lớn.")
        assert referred.status_code == 303
    return code, pin, business_link, owner_link


async def test_a_referral_tips_off_no_one_and_tells_the_reporter_only_the_competent_authority(
        app, client, smtp_server):
    code, pin, business_link, owner_link = await referred_case(app, client, smtp_server)
    case = await Case.get(tracking_code=code)
    assert case.agency_code == "pc03" and case.sealed_at is not None
    followed = len(mails_to(smtp_server, FOLLOWER))

    # The outsiders never had the tracking code: their own references instead.
    business_mail = mails(smtp_server, BUSINESS, SUBJECT)[0]
    request = await ExplanationRequest.get(case_id=case.id)
    inquiry = await BrandInquiry.get(case_id=case.id)
    for mail, reference in ((business_mail, request.reference),
                            (owner_mail(smtp_server, ASKED)[0], inquiry.reference)):
        assert format_reference(reference) in mail
        assert_no_code(code, mail)
    # Their links closed with the referral, saying nothing of where the case went.
    assert request.withdrawn_at is not None and inquiry.withdrawn_at is not None
    async with browser(app) as business:
        page = await business.get(business_link)
        assert page.status_code == 410 and "đã rút lại yêu cầu này" in page.text
        answered = await business.post(business_link, data={"answer": "Hàng có hóa đơn.",
                                                             "csrf_token": "x"},
                                       files=[("photos", ("hd.pdf", MINIMAL_PDF,
                                                          "application/pdf"))])
        assert answered.status_code == 410
        owner_page = await business.get(owner_link)
        assert owner_page.status_code == 410
        for text in (page.text, answered.text, owner_page.text):
            assert_no_police(app, text)
            assert_no_code(code, text)
    assert (await ExplanationRequest.get(id=request.id)).answered_at is None

    # The police answer the reporter, and give themselves more time; nobody else hears of it.
    async with police(app) as officer:
        replied = await post(officer, code, "/replies", action="message", body=POLICE_REPLY,
                             kind="reply")
        assert replied.status_code == 303, replied.text[:2000]
        extended = await post(officer, code, action="extend", due_date="2031-01-05",
                              reason="Chờ kết quả giám định.")
        assert extended.status_code == 303, extended.text[:2000]
        page = (await officer.get(f"/staff/cases/{code}")).text
        assert 'id="action-extend"' in page
        assert 'id="action-refer_to_police"' not in page  # it is there already
    await wait_for(lambda: bool(mails(smtp_server, REPORTER["reporter_email"], "")
                                and any(POLICE_REPLY in mail for mail in mails(
                                    smtp_server, REPORTER["reporter_email"], ""))))
    for mail in mails(smtp_server, REPORTER["reporter_email"], ""):
        assert_no_police(app, mail)
    # Answered by the body that runs the service, at its own mailbox: no header names them.
    for received in smtp_server.handler.to(REPORTER["reporter_email"]):
        assert_no_police(app, f'{received.message["From"]} {received.message["Reply-To"]}')
        if POLICE_REPLY in received.part("plain"):
            assert str(received.message["Reply-To"]) == "phananh@example.gov.vn"
    assert len(mails_to(smtp_server, FOLLOWER)) == followed  # the follower's inbox: nothing

    tracked = await client.get("/track", params={"code": code})
    assert tracked.status_code == 200 and NEUTRAL in tracked.text
    # The receipt opens for anyone with the code too: no agency, no date the police set.
    async with browser(app) as stranger:
        receipt_page = await stranger.get(f"/receipt/{code}")
    assert receipt_page.status_code == 200
    assert "Cơ quan có thẩm quyền" in receipt_page.text
    for page in (tracked.text, receipt_page.text):
        assert POLICE_REPLY not in page and "05/01/2031" not in page
        assert_no_police(app, page)
    for text in await open311(client, code):
        assert_no_police(app, text)
        assert POLICE_REPLY not in text
    [single] = (await client.get(f"/open311/v2/requests/{code}.json")).json()
    assert (single["status"], single["agency_responsible"], single["expected_datetime"]) == (
        "open", None, None)
    assert single["status_notes"] == NEUTRAL
    assert not await CaseUpdate.filter(case_id=case.id, action="refer_to_police").exists()

    # The reporter's own page: the conversation, and "the competent authority".
    mine = await reporter_page(client, code, pin)
    assert "Cơ quan có thẩm quyền" in mine.text and POLICE_REPLY in mine.text
    assert_no_police(app, mine.text)

    [sealed] = await AuditEvent.filter(case_id=case.id, action="sealed")
    assert sealed.after == {"why": "handles", "explanations_withdrawn": [request.id],
                            "brand_inquiries_withdrawn": [inquiry.id], "followers_held": 1}


@pytest.mark.parametrize("action", ["transfer", "triage"])
async def test_a_case_reaches_the_police_only_by_the_referral(app, client, action):
    code, _ = await assigned_case(client, app)
    if action == "triage":  # a case in the triage queue
        await Case.filter(tracking_code=code).update(status="received", agency_code=None,
                                                     assignee_id=None)
    async with staff(app, "officer") as officer:
        page = (await officer.get(f"/staff/cases/{code}")).text
        assert re.search(rf'id="action-{action}"', page)
        assert 'value="pc03"' not in page.split(f'id="action-{action}"')[1].split("</details>")[0]
        refused = await post(officer, code, action=action, agency_code="pc03",
                             reason="Chuyển thẳng.")
        assert refused.status_code == 400 and "với lý do là các dấu hiệu tội phạm" in refused.text
    case = await Case.get(tracking_code=code)
    assert case.agency_code != "pc03" and case.sealed_at is None


async def test_no_outside_party_can_be_asked_about_a_sealed_case(app, client, smtp_server):
    code, _, _, _ = await referred_case(app, client, smtp_server)
    # Handed back, and being worked on: asking would be allowed if it were not sealed.
    await Case.filter(tracking_code=code).update(agency_code="qltt", status="in_progress")
    async with staff(app, "qltt_lead") as lead:
        page = (await lead.get(f"/staff/cases/{code}")).text
        assert 'id="action-request_explanation"' not in page
        refused = await post(lead, code, **ask(action="request_explanation"))
        assert refused.status_code in (400, 403) and "không được hỏi" in refused.text
    assert await ExplanationRequest.filter(case__tracking_code=code).count() == 1
    tracked = await client.get("/track", params={"code": code})
    assert NEUTRAL in tracked.text  # the seal stays once the police hand the case back


async def test_a_report_joined_to_a_case_with_the_police_is_sealed_with_it(app, client):
    """Its /track page would otherwise name the case it joined, whose own page then shows it
    went to the police: before the referral or after, the joined report is sealed too."""
    first, _ = await assigned_case(client, app)
    early, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER,
                                                       "join_case": "new"})
    late, late_pin, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER,
                                                             "join_case": "new"})
    async with staff(app, "officer") as officer:
        assert (await post(officer, early, action="mark_duplicate", duplicate_of=first,
                           reason="Cùng sạp.")).status_code == 303
        assert (await post(officer, first, action="refer_to_police",
                           reason="Dấu hiệu tội phạm.")).status_code == 303
        assert (await post(officer, late, action="mark_duplicate", duplicate_of=first,
                           reason="Cùng sạp.")).status_code == 303
    for code in (early, late):
        joined = await Case.get(tracking_code=code)
        assert joined.sealed_at is not None
        tracked = await client.get("/track", params={"code": code})
        # Closed as a duplicate, it says so, but not which case it joined.
        assert tracked.status_code == 200 and code[:5] in tracked.text
        assert format_tracking_code(first) not in tracked.text and first not in tracked.text
        assert_no_police(app, tracked.text)
        [single] = (await client.get(f"/open311/v2/requests/{code}.json")).json()
        assert first not in str(single) and single["agency_responsible"] is None
    mine = await reporter_page(client, late, late_pin)  # its reporter may be the seller
    assert first not in mine.text and format_tracking_code(first) not in mine.text
    whys = await AuditEvent.filter(action="sealed").values_list("after", flat=True)
    assert sorted(after["why"] for after in whys) == ["handles", "joined", "joined"]


async def test_the_police_supporting_a_case_seal_it(app, client, smtp_server):
    code, _ = await assigned_case(client, app)
    async with staff(app, "officer") as officer:
        added = await post(officer, code, action="add_support", agency_code="pc03",
                           task="Phối hợp kiểm tra kho hàng.")
        assert added.status_code == 303
    assert (await Case.get(tracking_code=code)).sealed_at is not None
    async with staff(app, "qltt") as inspector:  # the handling agency may ask no one now
        await post(inspector, code, action="start")
        refused = await post(inspector, code, **ask(action="request_explanation"))
        assert refused.status_code in (400, 403)
    assert not await ExplanationRequest.filter(case__tracking_code=code).exists()
    tracked = await client.get("/track", params={"code": code})
    assert NEUTRAL in tracked.text
    assert_no_police(app, tracked.text)


async def test_once_settled_nothing_said_after_the_seal_is_published(app, client):
    """A reply of the police, then a rejection with no public outcome: the Open311 notes say
    nothing of the reply (they used to show it once the case was closed)."""
    code, _ = await assigned_case(client, app)
    async with staff(app, "qltt_lead") as lead:
        await post(lead, code, "/replies", action="message", body="Đã tiếp nhận.", kind="reply")
        assert (await post(lead, code, action="refer_to_police",
                           reason="Dấu hiệu tội phạm.")).status_code == 303
    async with police(app) as officer:
        await post(officer, code, "/replies", action="message", kind="reply",
                   body=POLICE_REPLY)
        assert (await post(officer, code, action="reject",
                           reason="Chuyển cơ quan điều tra.")).status_code == 303
    for text in await open311(client, code):
        assert POLICE_REPLY not in text and "Chuyển cơ quan điều tra" not in text
        assert_no_police(app, text)
    tracked = await client.get("/track", params={"code": code})
    assert POLICE_REPLY not in tracked.text
