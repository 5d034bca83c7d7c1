"""A message that cannot be built or sent is that message's failure only: poison messages
queued between good ones fail, each with its reason (an agency alert flags its case), and
every good one reaches a real SMTP server exactly once. One address is one recipient. A
message senders claim again and again, or that nobody sends, makes `intake outbox status`
say so and exit non-zero, without printing anyone's address."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tortoise.transactions import in_transaction

from tests.conftest import browser, running_app
from tests.helpers import REPORTER, VALID_REPORT, post_report
from tests.live import run_intake
from workflows.audit.models import AuditEvent
from workflows.cases.models import Case
from workflows.mail.models import OutboxMessage
from workflows.mail.outbox import STUCK_CLAIMS, enqueue
from workflows.mail.rendering import RenderedMail

# (recipient, subject, text): each is refused by the mail library or by the address check.
POISON = [
    ("g:a,b;x@example.org", "Nhóm", "Thư."),
    ("root,postmaster,abuse,x@example.org", "Danh sách", "Thư."),
    ("Hằng <hang@example.vn>", "Tên hiển thị", "Thư."),
    ("a@b.vn\r\nBcc: evil@example.org", "Xuống dòng", "Thư."),
    ('"a b"@example.org', "Trích dẫn", "Thư."),
    ("ok-address@example.vn", "Tiêu đề\r\nBcc: evil@example.org", "Thư."),
    ("hằng@example.vn", "Tên có dấu", "Thư."),
    ("ok-address@example.vn", "Trang\x0cBcc: evil@example.org", "Thư."),  # a form feed
]


async def _queue(position: int, recipient: str, subject: str, text: str) -> None:
    async with in_transaction() as connection:
        await enqueue(connection, event_key=f"test:{position}", kind="test", recipient=recipient,
                      mail=RenderedMail(subject, text, f"<p>{position}</p>"))


async def test_poison_messages_fail_alone_and_every_good_one_arrives_once(mail_settings,
                                                                           smtp_server):
    async with running_app(mail_settings) as app:
        sender = app.state.intake.outbox_sender
        sender.stop()  # one batch by hand below, nothing in the background
        good, poison = [], list(POISON)
        for position in range(24):
            if position % 3 == 1 and poison:
                await _queue(position, *poison.pop())
            else:
                good.append(f"nguoi-{position}@example.vn")
                await _queue(position, good[-1], f"Thư số {position}", "Nội dung.")
        await _queue(99, "x@bộcôngthương.vn", "Tên miền tiếng Việt", "Nội dung.")
        assert not poison, "every poison message is queued between good ones"
        for _ in range(3):  # again and again: nothing is sent twice, nothing is left
            await sender.run_until_idle()
        failed = await OutboxMessage.filter(status="failed").order_by("id")
        pending = await OutboxMessage.filter(status="pending").count()
    assert pending == 0
    assert len(failed) == len(POISON)
    assert all(message.permanent_failure and message.last_error for message in failed)
    assert {message.recipient for message in failed} >= {"g:a,b;x@example.org",
                                                         "root,postmaster,abuse,x@example.org"}
    arrived = Counter(recipient for mail in smtp_server.handler.received
                      for recipient in mail.recipients)
    assert arrived == Counter(good + ["x@xn--bcngthng-53a84oyex696a.vn"])
    ids = Counter(mail.message_id for mail in smtp_server.handler.received)
    assert set(ids.values()) == {1}
    assert all("evil@example.org" not in mail.recipients for mail in smtp_server.handler.received)


async def test_an_agency_alert_that_cannot_be_built_flags_its_case(mail_settings, smtp_server):
    async with running_app(mail_settings) as app, browser(app) as client:
        app.state.intake.outbox_sender.stop()
        assert (await post_report(client, {**VALID_REPORT, **REPORTER})).status_code == 303
        # An address that passed an older check, stored before this one existed.
        await OutboxMessage.filter(kind="agency_alert").update(recipient="g:a,b;x@example.org")
        await app.state.intake.outbox_sender.run_until_idle()
        case = await Case.get()
        alert = await OutboxMessage.get(kind="agency_alert")
        assert case.alert_undelivered and alert.status == "failed"
        assert "cannot be built" in alert.last_error
        assert await AuditEvent.filter(case_id=case.id, action="alert_undelivered").exists()
        ack = await OutboxMessage.get(kind="citizen_ack")
    assert ack.status == "sent" and len(smtp_server.handler.to(REPORTER["reporter_email"])) == 1


async def test_the_form_and_the_api_take_one_mailbox_only(client):
    for typed in ("g:a,b;x@example.org", "root,postmaster,abuse,x@example.org",
                  "Hằng <hang@example.vn>", "hang@example.vn (nhà)", '"a b"@example.org',
                  "hang@[127.0.0.1]", "hằng@example.vn"):
        refused = await post_report(client, {**VALID_REPORT, **REPORTER, "reporter_email": typed})
        assert refused.status_code == 400, typed
        assert 'id="reporter_email-error"' in refused.text
        api = await client.post("/open311/v2/requests.json", data={
            "service_code": "counterfeit", "description": VALID_REPORT["description"],
            "lat": "12.24", "long": "109.19",
            "attribute[product_name]": "Nước mắm", "attribute[product_group]": "food",
            "attribute[channel]": "market", "email": typed, "attribute[consent]": "true"})
        assert api.status_code == 400 and api.json()[0]["description"].startswith("email:")
    assert not await Case.exists()
    accepted = await post_report(client, {**VALID_REPORT, **REPORTER,
                                          "reporter_email": "Hang.Nguyen@Bộcôngthương.VN"})
    assert accepted.status_code == 303
    assert (await Case.get()).reporter_email == "Hang.Nguyen@bộcôngthương.vn"


async def test_outbox_status_names_stuck_messages_and_exits_non_zero(settings):
    async with running_app(settings) as app, browser(app) as client:
        await post_report(client, {**VALID_REPORT, **REPORTER})
        ack = await OutboxMessage.get(kind="citizen_ack")
        # Senders took it three times more than they recorded an outcome (each crashed).
        await OutboxMessage.filter(id=ack.id).update(claims=STUCK_CLAIMS)
        code = (await Case.get()).tracking_code
    env = {"INTAKE_DATABASE_URL": settings.database_url,
           "INTAKE_DATA_DIR": str(settings.data_dir)}
    status = run_intake("outbox", "status", env=env)
    assert status.returncode == 1, status.stdout + status.stderr
    assert f"STUCK: message {ack.id} (citizen_ack, case {code})" in status.stdout
    assert REPORTER["reporter_email"] not in status.stdout
    # Overdue by a quarter of an hour, nobody sending: stuck too.
    async with running_app(settings):
        await OutboxMessage.filter(id=ack.id).update(
            claims=0, next_attempt_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20))
    assert run_intake("outbox", "status", env=env).returncode == 1
    async with running_app(settings):
        await OutboxMessage.filter(id=ack.id).update(next_attempt_at=dt.datetime.now(dt.UTC))
    healthy = run_intake("outbox", "status", env=env)
    assert healthy.returncode == 0 and "stuck: 0" in healthy.stdout


async def test_a_citizen_s_refused_mailbox_does_not_page_an_agency_alert_does(settings):
    """A mistyped reporter address is flagged on its case for the inspector; a monitor wakes an
    operator only when an agency's alert could not be sent."""
    async with running_app(settings) as app, browser(app) as client:
        await post_report(client, {**VALID_REPORT, **REPORTER})
        await OutboxMessage.filter(kind="citizen_ack").update(status="failed")
    env = {"INTAKE_DATABASE_URL": settings.database_url,
           "INTAKE_DATA_DIR": str(settings.data_dir)}
    citizen_only = run_intake("outbox", "status", env=env)
    assert citizen_only.returncode == 0, citizen_only.stdout + citizen_only.stderr
    assert "failed: 1 (1 to citizens)" in citizen_only.stdout
    async with running_app(settings):
        await OutboxMessage.filter(kind="agency_alert").update(status="failed")
    agency = run_intake("outbox", "status", env=env)
    assert agency.returncode == 1 and "failed: 2 (1 to citizens)" in agency.stdout
