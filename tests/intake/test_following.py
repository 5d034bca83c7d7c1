"""Following a case by email, over HTTP, every mail received by a real SMTP server: the address
confirms by a button (opening the link alone, as a mail scanner does, confirms nothing), then
gets each public change, each mail with a link that stops them; asking again says the same and
sends at most one confirmation an hour; staff see how many follow, never who."""

from __future__ import annotations

import re

import httpx
import pytest

from intake.links import FOLLOW_SALT, record_token
from tests.conftest import browser
from tests.helpers import REPORTER, VALID_REPORT, csrf_token, wait_for
from tests.intake.public.test_pages import file_and_read_receipt
from tests.intake.test_conversation import app as app  # noqa: F401 (the fixture: staff, mail)
from tests.intake.test_conversation import post, staff
from workflows.cases.models import Case
from workflows.mail.addresses import mailbox_key
from workflows.mail.models import OutboxMessage
from workflows.parties.models import CaseFollower

FOLLOWER = "hang-xom@example.vn"
SENT = "một đường liên kết xác nhận đang được gửi tới"


async def follow(client: httpx.AsyncClient, code: str, email: str = FOLLOWER) -> httpx.Response:
    token = await csrf_token(client, f"/track?code={code}")
    return await client.post(f"/track/{code}/follow",
                             data={"csrf_token": token, "follow_email": email})


def mails_to(smtp_server, address: str) -> list[str]:
    return [mail.part("plain") for mail in smtp_server.handler.to(address)]


async def press(client: httpx.AsyncClient, link: str) -> httpx.Response:
    page = await client.get(link)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    return await client.post(link, data={"csrf_token": token.group(1)})


async def test_a_follower_confirms_gets_each_public_change_and_stops(client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    asked = await follow(client, code)
    assert asked.status_code == 200 and SENT in asked.text
    await wait_for(lambda: bool(mails_to(smtp_server, FOLLOWER)))
    [confirmation] = mails_to(smtp_server, FOLLOWER)
    link = re.search(r"http://testserver(/follow/\S+)", confirmation).group(1)

    # Opening the link is not confirming: a status change now reaches no one.
    opened = await client.get(link)
    assert opened.status_code == 200 and "Xác nhận" in opened.text
    async with staff(app, "officer") as officer:
        for action, reason in (("reject", "Thử: chưa xác nhận theo dõi."),
                               ("reopen", "Mở lại để theo dõi.")):
            assert (await post(officer, code, action=action, reason=reason)).status_code == 303
    assert len(mails_to(smtp_server, FOLLOWER)) == 1
    confirmed = await press(client, link)
    assert confirmed.status_code == 200 and "Xong: bạn sẽ nhận" in confirmed.text

    async with staff(app, "qltt_lead") as lead:
        reply = "Đoàn kiểm tra sẽ làm việc với cửa hàng trong tuần này."
        replied = await post(lead, code, "/replies", action="message", body=reply, kind="reply")
        assert replied.status_code == 303, replied.text[:3000]
        page = (await lead.get(f"/staff/cases/{code}")).text
        assert re.search(r'id="followers">1<', page) and FOLLOWER not in page
    await wait_for(lambda: any(reply in mail for mail in mails_to(smtp_server, FOLLOWER)))
    update = next(mail for mail in mails_to(smtp_server, FOLLOWER) if reply in mail)
    for trace in (REPORTER["reporter_name"], REPORTER["reporter_email"],
                  REPORTER["reporter_phone"], VALID_REPORT["description"]):
        assert trace not in update
    assert f"/track?code={code}" in update
    assert all(FOLLOWER not in mail.part("plain")
               for mail in smtp_server.handler.to(REPORTER["reporter_email"]))

    stop = re.search(r"http://testserver(/unfollow/\S+)", update).group(1)
    assert (await client.get(stop)).status_code == 200  # a scanner's visit stops nothing
    assert (await CaseFollower.get(email=FOLLOWER)).unsubscribed_at is None
    stopped = await press(client, stop)
    assert stopped.status_code == 200 and "không nhận thêm email" in stopped.text
    before = await OutboxMessage.filter(recipient=FOLLOWER).count()
    async with staff(app, "officer") as officer:
        await post(officer, code, action="reject", reason="Không thuộc phạm vi.")
    assert await OutboxMessage.filter(recipient=FOLLOWER).count() == before
    async with staff(app, "qltt_lead") as lead:
        assert re.search(r'id="followers">0<', (await lead.get(f"/staff/cases/{code}")).text)


async def test_asking_again_tells_nothing_and_sends_at_most_one_link_an_hour(
        client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    first, again = await follow(client, code), await follow(client, code.lower())
    assert first.status_code == again.status_code == 200
    assert SENT in first.text and SENT in again.text
    for variant in (FOLLOWER.replace("example.vn", "EXAMPLE.VN"), FOLLOWER.upper(),
                    "Hang-Xom@example.vn"):
        assert SENT in (await follow(client, code, variant)).text  # one mailbox, one link
    assert await CaseFollower.filter(case__tracking_code=code).count() == 1
    assert await OutboxMessage.filter(kind="follow_confirmation").count() == 1
    # Other cases, the same address: at most three confirmations a day in all.
    for _ in range(4):
        other, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, "join_case": "new"})
        assert SENT in (await follow(client, other, FOLLOWER.upper())).text
    assert await OutboxMessage.filter(kind="follow_confirmation",
                                      recipient=FOLLOWER).count() == 3
    # The reporter's own address may follow as well; it learns nothing new from the answer.
    assert SENT in (await follow(client, code, REPORTER["reporter_email"])).text


async def test_one_mailbox_however_written_gets_at_most_three_confirmations_a_day(
        client, app, smtp_server):
    """Plus-tags and the dots Gmail ignores name one mailbox: 14 variants from one address,
    over several cases, mail it three times in all."""
    variants = [f"nan.nhan+{n}@gmail.com" for n in range(1, 9)] + [
        "nannhan@gmail.com", "n.a.n.n.h.a.n@gmail.com", "Nan.Nhan@GoogleMail.com",
        "nannhan+x@googlemail.com", "NAN.NHAN@GMAIL.COM", "n.annhan+tin@gmail.com"]
    codes = [(await file_and_read_receipt(client, {**VALID_REPORT, "join_case": "new"}))[0]
             for _ in range(3)]
    for index, variant in enumerate(variants):
        assert SENT in (await follow(client, codes[index % 3], variant)).text
    sent = await OutboxMessage.filter(kind="follow_confirmation").values_list(
        "recipient", flat=True)
    assert len(sent) == 3 and all(mailbox_key(address) == "nannhan@gmail.com"
                                  for address in sent)
    # Another mailbox at the same provider is its own.
    assert SENT in (await follow(client, codes[0], "nan.nhan.khac@gmail.com")).text
    assert await OutboxMessage.filter(recipient="nan.nhan.khac@gmail.com").count() == 1


async def test_a_stranger_on_a_few_networks_cannot_use_up_the_owners_day(client, app,
                                                                         smtp_server):
    codes = [(await file_and_read_receipt(client, {**VALID_REPORT, "join_case": "new"}))[0]
             for _ in range(4)]
    for n, written in enumerate(("nan.nhan+a@gmail.com", "n.annhan@googlemail.com",
                                 "NANNHAN+zz@gmail.com")):
        async with browser(app, client=(f"198.51.100.{n + 1}", 5000)) as stranger:
            assert SENT in (await follow(stranger, codes[n], written)).text
    assert await OutboxMessage.filter(kind="follow_confirmation").count() == 3
    # The owner, on their own network, still gets theirs.
    assert SENT in (await follow(client, codes[3], "nannhan@gmail.com")).text
    assert await OutboxMessage.filter(recipient="nannhan@gmail.com").count() == 1


async def test_one_network_asks_at_most_ten_confirmations_a_day(client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, "join_case": "new"})
    for n in range(14):
        assert SENT in (await follow(client, code, f"nguoi-{n}@example.vn")).text
    assert await OutboxMessage.filter(kind="follow_confirmation").count() == 10
    async with browser(app, client=("198.51.100.7", 5000)) as elsewhere:  # another network
        assert SENT in (await follow(elsewhere, code, "nguoi-99@example.vn")).text
    assert await OutboxMessage.filter(recipient="nguoi-99@example.vn").count() == 1


@pytest.mark.parametrize("typed", ["hang-xom", "a@b.vn, c@d.vn", "Tên <a@b.vn>", "",
                                   "a@b.vn\r\nBcc: x@y.vn"])
async def test_a_wrong_address_is_named_beside_the_field_and_kept(client, app, typed):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    refused = await follow(client, code, typed)
    assert refused.status_code == 400
    assert re.search(r'id="follow_email-error">[^<]*email', refused.text)
    assert not await CaseFollower.exists(case__tracking_code=code)


async def test_forged_links_and_closed_cases_are_refused(client, app, smtp_server):
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **REPORTER})
    await follow(client, code)
    follower = await CaseFollower.get(case__tracking_code=code)
    secret = app.state.intake.settings.secret_key
    for token in (record_token(secret, FOLLOW_SALT, follower.id, "x" * 43),
                  record_token("khóa khác", FOLLOW_SALT, follower.id, follower.link_nonce),
                  record_token(secret, "intake.unfollow", follower.id, follower.link_nonce),
                  "abc"):
        assert (await client.get(f"/follow/{token}")).status_code == 404
    await Case.filter(tracking_code=code).update(status="closed")
    assert "Theo dõi phản ánh này" not in (await client.get(f"/track?code={code}")).text
    posted = await follow(client, code, "nguoi-khac@example.vn")
    assert posted.status_code == 400 and "đã kết thúc" in posted.text
    assert (await client.post("/track/XXXXXXXXXX/follow", data={})).status_code == 404


async def test_following_is_a_look_up(settings, smtp_server):
    """Once the address's look-ups are used up, the follow form learns nothing: not whether a
    code exists, nor the case's status."""
    from dataclasses import replace

    from tests.conftest import browser, running_app
    async with running_app(replace(settings, track_rate_limit=2)) as limited, \
            browser(limited) as citizen:
        code, _, _ = await file_and_read_receipt(citizen, {**VALID_REPORT, "join_case": "new"})
        await follow(citizen, code)  # the /track page and this: the second and third
        for path in (f"/track/{code}/follow", "/track/XXXXXXXXXX/follow"):
            refused = await citizen.post(path, data={"follow_email": FOLLOWER})
            assert refused.status_code == 429 and VALID_REPORT["product_name"] not in refused.text
