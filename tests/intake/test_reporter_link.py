"""A way back without the PIN, over HTTP with every mail received by a real SMTP server:
every message to the reporter carries a link to their own page, which opens it without the
PIN until they leave the page or 30 days after the case is settled; "Quên mã PIN?" sends a
new one to the contact on file, and only there, saying the same whether or not the code and
the contact match, within limits per code, per contact and per network."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import httpx

from tests.conftest import browser
from tests.helpers import REPORTER, VALID_REPORT, csrf_token, wait_for
from tests.intake.public.test_pages import file_and_read_receipt
from tests.intake.public.test_same_goods import SECOND, choices, send
from tests.intake.test_conversation import app as app  # noqa: F401 (the fixture: staff, mail)
from tests.intake.test_conversation import mails, post, reporter_page, staff
from workflows.cases.models import Case
from workflows.mail.models import OutboxMessage

LINK = re.compile(r"http://testserver(/r/[^\s\"<]+)")
SENT = "đang được gửi tới địa chỉ đó"
ENDED = "không còn mở được trang phản ánh"


async def the_link(smtp_server, subject: str = "") -> str:
    await wait_for(lambda: any(LINK.search(mail) for mail in mails(
        smtp_server, REPORTER["reporter_email"], subject)))
    return next(LINK.search(mail).group(1) for mail in mails(
        smtp_server, REPORTER["reporter_email"], subject) if LINK.search(mail))


async def opens(app, link: str) -> httpx.Response:
    """The link followed in a browser that never saw the PIN."""
    async with browser(app) as other:
        opened = await other.get(link)
        if opened.status_code != 303:
            return opened
        return await other.get(opened.headers["location"])


async def forgot(client: httpx.AsyncClient, code: str, contact: str) -> httpx.Response:
    token = await csrf_token(client, "/track")
    return await client.post("/track/forgot", data={"csrf_token": token, "code": code,
                                                     "contact": contact})


async def test_the_receipt_mail_carries_the_reporters_page_which_opens_without_the_pin(
        client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    link = await the_link(smtp_server)
    page = await opens(app, link)
    assert page.status_code == 200 and "Thoát" in page.text and code[:5] in page.text
    # Leaving the page ends the link: a copy of the mail opens nothing afterwards.
    token = re.search(r'action="(/track/[^"]+/sign-out)"', page.text)
    assert token is not None
    async with browser(app) as reporter:
        opened = await reporter.get(link)
        await reporter.get(opened.headers["location"])
        form = await csrf_token(reporter, opened.headers["location"])
        await reporter.post(token.group(1), data={"csrf_token": form})
    ended = await opens(app, link)
    assert ended.status_code == 410 and ENDED in ended.text


async def test_the_link_ends_thirty_days_after_the_case_is_settled_and_cannot_be_forged(
        client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    link = await the_link(smtp_server)
    now = dt.datetime.now(dt.UTC)
    await Case.filter(tracking_code=code).update(status="resolved",
                                                 resolved_at=now - dt.timedelta(days=29))
    assert (await opens(app, link)).status_code == 200
    await Case.filter(tracking_code=code).update(resolved_at=now - dt.timedelta(days=31))
    assert (await opens(app, link)).status_code == 410
    await Case.filter(tracking_code=code).update(status="in_progress", resolved_at=None)
    for forged in (link[:-3] + "xyz", link.replace("/r/", "/r/A"), "/r/" + "A" * 40,
                   "/r/" + code + ".0.abc"):
        refused = await opens(app, forged)
        assert refused.status_code == 410 and ENDED in refused.text, forged


async def test_a_question_and_the_outcome_carry_the_link_and_a_supporters_mail_does_not(
        client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    async with staff(app, "qltt") as inspector:
        await post(inspector, code, "/replies", action="message", kind="question",
                   body="Bạn mua ở quầy nào?")
    asks = "bổ sung thông tin"  # the question's subject
    await wait_for(lambda: bool(mails(smtp_server, REPORTER["reporter_email"], asks)))
    [question] = mails(smtp_server, REPORTER["reporter_email"], asks)
    assert LINK.search(question) and "mã PIN trên giấy biên nhận" not in question
    # A citizen who added to the case gets its outcome, never the reporter's page.
    await Case.filter(tracking_code=code).update(status="assigned")
    [choice] = choices((await send(client, {**VALID_REPORT, **SECOND})).text)
    assert (await send(client, {**VALID_REPORT, **SECOND, "join_case": choice})).status_code == 303
    async with staff(app, "qltt_lead") as lead:
        await post(lead, code, action="start")
        resolved = await post(lead, code, action="resolve", outcome="violation_confirmed",
                              public_outcome="Đã xử phạt sạp số 12.")
        assert resolved.status_code == 303
    await wait_for(lambda: bool(smtp_server.handler.to(SECOND["reporter_email"])))
    outcomes = await OutboxMessage.filter(kind="resolution_notice").values_list(
        "recipient", "body_text")
    assert {recipient for recipient, _ in outcomes} == {REPORTER["reporter_email"],
                                                        SECOND["reporter_email"]}
    for recipient, body in outcomes:
        assert ("/r/" in body) == (recipient == REPORTER["reporter_email"])


async def test_forgot_pin_sends_the_link_to_the_contact_on_file_only_and_tells_nothing(
        client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    await the_link(smtp_server)  # the receipt's mail
    before = len(mails(smtp_server, REPORTER["reporter_email"], ""))
    # The address as it is often typed otherwise: capitals, a +tag. The page says the same
    # for a wrong contact and for a code that does not exist.
    answers = [await forgot(client, code, "Hang.Nguyen+lai@EXAMPLE.vn"),
               await forgot(client, code, "nguoi-khac@example.vn"),
               await forgot(client, "ZZZZZ-ZZZZZ", REPORTER["reporter_email"])]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    texts = [re.sub(r'value="[^"]*"', "", answer.text) for answer in answers]
    assert all(SENT in text for text in texts) and texts[1] == texts[2]
    await wait_for(lambda: len(mails(smtp_server, REPORTER["reporter_email"], "")) == before + 1)
    assert not smtp_server.handler.to("nguoi-khac@example.vn")
    sent = mails(smtp_server, REPORTER["reporter_email"], "liên kết")
    assert sent and LINK.search(sent[-1])
    assert (await opens(app, LINK.search(sent[-1]).group(1))).status_code == 200
    # Not an address nor a number: said beside the field.
    wrong = await forgot(client, code, "không nhớ")
    assert wrong.status_code == 400 and 'id="forgot-contact-error"' in wrong.text
    # No code: said beside its field, rather than "a link is on its way" to nobody.
    for contact in (REPORTER["reporter_email"], ""):
        no_code = await forgot(client, "  ", contact)
        assert no_code.status_code == 400 and SENT not in no_code.text
        assert 'id="forgot-code-error">Hãy nhập mã tra cứu của phản ánh.</p>' in no_code.text
        assert ('id="forgot-contact-error"' in no_code.text) == (contact == "")


async def test_forgot_pin_is_limited_per_code_per_contact_and_per_network(client, app,
                                                                          smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    for n in range(3):  # from three networks: the code's hour is used up
        async with browser(app, client=(f"198.51.100.{n + 1}", 4000)) as asker:
            assert (await forgot(asker, code, f"khac-{n}@example.vn")).status_code == 200
    async with browser(app, client=("198.51.100.9", 4000)) as asker:
        refused = await forgot(asker, code, REPORTER["reporter_email"])
        assert refused.status_code == 429 and "retry-after" in refused.headers
    # One contact, asked for many codes: its hour is used up too.
    other, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, "join_case": "new"})
    for n in range(3):
        async with browser(app, client=(f"203.0.113.{n + 1}", 4000)) as asker:
            await forgot(asker, f"ZZZZZ-ZZZZ{n}", "victim@gmail.com")
    async with browser(app, client=("203.0.113.9", 4000)) as asker:
        assert (await forgot(asker, other, "v.i.c.t.i.m@gmail.com")).status_code == 429


async def test_a_new_pin_is_shown_once_and_ends_the_old_pin_and_every_link_sent_before(
        client, app, smtp_server):
    code, old_pin, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    link = await the_link(smtp_server)
    async with browser(app) as reporter:
        await reporter_page(reporter, code, old_pin)
        form = await csrf_token(reporter, f"/track/{code}/reporter")
        changed = await reporter.post(f"/track/{code}/reporter/new-pin",
                                      data={"csrf_token": form})
        assert changed.status_code == 200 and "Mã PIN mới của bạn" in changed.text
        new_pin = re.search(r'id="new-pin">(\d{4} \d{4})<', changed.text).group(1)
        # The page stays open where the PIN was changed, and shows the PIN only this once.
        again = await reporter.get(f"/track/{code}/reporter")
        assert again.status_code == 200 and new_pin not in again.text
    assert (await opens(app, link)).status_code == 410
    async with browser(app) as someone:
        token = await csrf_token(someone, "/track")
        refused = await someone.post("/track/access", data={"code": code, "pin": old_pin,
                                                            "csrf_token": token})
        assert refused.status_code != 303
    async with browser(app) as reporter:
        assert "Thoát" in (await reporter_page(reporter, code, new_pin.replace(" ", ""))).text


async def test_a_double_click_on_new_pin_shows_the_same_pin_twice(client, app):
    code, pin, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    async with browser(app) as reporter:
        page = await reporter_page(reporter, code, pin)
        press = re.search(r'name="press" value="([^"]+)"', page.text).group(1)
        form = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        sent = {"csrf_token": form, "press": press}
        before = httpx.Cookies(reporter.cookies)  # a copy of the page as it is open now
        async with browser(app) as copy:
            copy.cookies = httpx.Cookies(before)
            assert (await copy.get(f"/track/{code}/reporter")).status_code == 200
        answers = await asyncio.gather(*(reporter.post(f"/track/{code}/reporter/new-pin",
                                                       data=sent) for _ in range(2)))
        assert [answer.status_code for answer in answers] == [200, 200]
        pins = {re.search(r'id="new-pin">([\d ]+)<', answer.text).group(1) for answer in answers}
        assert len(pins) == 1
    # Another press from a copy of the page as it was opened before: nothing is shown.
    async with browser(app) as copy:
        copy.cookies = before
        form = await csrf_token(copy, "/track")
        other = await copy.post(f"/track/{code}/reporter/new-pin",
                                data={"csrf_token": form, "press": "another-press"})
        assert other.status_code == 303 and other.headers["location"].startswith("/track")
    async with browser(app) as again:
        assert "Thoát" in (await reporter_page(again, code, pins.pop().replace(" ", ""))).text
