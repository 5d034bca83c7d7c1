"""Email alerts through a real SMTP server (aiosmtpd): delivered once, retried, never lost."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import pytest
from tortoise.transactions import in_transaction

from intake.cli.outbox import outbox_sender
from intake.settings import Settings
from tests.conftest import browser, running_app
from tests.helpers import REPORTER, VALID_REPORT, post_report, settled, wait_for
from tests.smtp_server import SmtpServer
from workflows.access.accounts import create_user
from workflows.audit.log import Actor
from workflows.audit.models import AuditEvent
from workflows.cases.events import CaseEvent
from workflows.cases.models import Case
from workflows.mail.channel import DeliveryResult, Outcome
from workflows.mail.digests import queue_due_digests
from workflows.mail.models import OutboxMessage
from workflows.mail.outbox import (
    RetryPolicy,
    claim_batch,
    enqueue,
    outbox_status,
    record_results,
    requeue_failed,
)
from workflows.mail.rendering import RenderedMail
from workflows.mail.sender import OutboxSender
from workflows.mail.smtp import SmtpConfig

AGENCY_MAILBOX = "qltt@example.gov.vn"
CITIZEN = REPORTER["reporter_email"]


@pytest.fixture
async def mail_app(mail_settings):
    """The app with its sender running against the test SMTP server, for the whole test."""
    async with running_app(mail_settings) as app:
        yield app


@pytest.fixture
async def mail_client(mail_app):
    async with browser(mail_app) as client:
        yield client


async def test_an_agency_alert_and_an_acknowledgement_arrive(mail_client, smtp_server):
    assert (await post_report(mail_client, {**VALID_REPORT, **REPORTER})).status_code == 303
    case = await Case.get()
    await wait_for(lambda: len(smtp_server.handler.received) == 2)
    code = f"{case.tracking_code[:5]}-{case.tracking_code[5:]}"
    [alert] = smtp_server.handler.to(AGENCY_MAILBOX)
    assert alert.recipients == [AGENCY_MAILBOX]
    assert alert.message["Subject"] == f"Phản ánh mới {code}: Hàng giả"
    assert alert.message["From"] == "Intake Tỉnh <no-reply@intake.example.vn>"
    assert alert.message["Message-ID"].endswith("@intake.example.vn>")
    text, html = alert.part("plain"), alert.part("html")
    for part in (text, html):
        assert code in part
        assert "Nước mắm Phú Quốc 500 ml" in part and "Hưng Thịnh" in part
        assert "Sạp số 12" in part and "Phường Nha Trang" in part
        assert f"http://testserver/staff/cases/{case.tracking_code}" in part
        for private in ("Nguyễn Thị Hằng", "0912345678", CITIZEN):
            assert private not in part
    assert "Có phản ánh mới được chuyển đến Chi cục Quản lý thị trường." in text

    [ack] = smtp_server.handler.to(CITIZEN)
    assert ack.message["Subject"] == f"Phản ánh {code} của bạn đã được tiếp nhận"
    assert f"http://testserver/track?code={case.tracking_code}" in ack.part("plain")
    assert "Chi cục Quản lý thị trường" in ack.part("html")
    for kind in ("agency_alert", "citizen_ack"):
        assert (await settled(kind=kind)).status == "sent"


@pytest.mark.parametrize("words", [
    "Người phản ánh đã trả lời câu hỏi trong hồ sơ 5NFAM-M9PXG: hồ sơ được tiếp tục xử lý "
    "và thời hạn tiếp tục được tính.",
    "Người phản ánh hồ sơ ABCDE-FGHJK không hài lòng với kết quả và đề nghị xem xét lại: chấp "
    "nhận (hồ sơ được mở lại) hoặc không chấp nhận và nêu lý do.",
    "Đơn vị của bạn được đề nghị phối hợp xử lý hồ sơ ABCDE-FGHJK " * 3])
async def test_a_long_vietnamese_subject_arrives_with_every_space(mail_app, smtp_server, words):
    """Python's email folding at 78 characters dropped the space between two encoded words:
    "câu hỏi" arrived as "câuhỏi". Read here by the SMTP server's own parser."""
    async with in_transaction() as connection:
        message = await enqueue(connection, event_key="long-subject", kind="staff_notice",
                                recipient="thanh-tra@qltt.gov.vn",
                                mail=RenderedMail(words.strip(), "Nội dung.", "<p>Nội dung.</p>"))
    mail_app.state.intake.outbox_sender.wake()
    await wait_for(lambda: len(smtp_server.handler.received) == 1)
    [received] = smtp_server.handler.received
    assert received.message["Subject"] == message.subject
    assert (await settled(kind="staff_notice")).status == "sent"


async def test_no_acknowledgement_without_an_address_or_consent(mail_client, smtp_server):
    await post_report(mail_client)  # anonymous
    await wait_for(lambda: len(smtp_server.handler.received) == 1)
    assert smtp_server.handler.received[0].recipients == [AGENCY_MAILBOX]
    assert await OutboxMessage.exclude(kind="agency_alert").count() == 0


async def test_an_english_reporter_gets_english_mail(mail_client, smtp_server):
    await mail_client.get("/lang/en")
    await post_report(mail_client, {**VALID_REPORT, **REPORTER})
    await wait_for(lambda: len(smtp_server.handler.to(CITIZEN)) == 1)
    [ack] = smtp_server.handler.to(CITIZEN)
    assert ack.message["Subject"].startswith("Your report ")
    assert "Your tracking code" in ack.part("plain")
    assert "Your report was sent to: Market Management Office." in ack.part("plain")


class Blackhole:
    """Accepts SMTP connections and never answers: a mail server that hangs."""

    def __init__(self, port: int) -> None:
        self.listener = socket.create_server(("127.0.0.1", port))
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.connections:
            connection.close()


async def test_a_hanging_mail_server_loses_nothing_and_slows_no_one(mail_settings):
    server = SmtpServer()
    hanging = Blackhole(server.port)
    settings = replace(mail_settings, smtp=replace(mail_settings.smtp, port=server.port),
                       outbox_first_retry_seconds=0.1, outbox_max_attempts=100)
    try:
        async with running_app(settings) as app, browser(app) as client:
            for n in range(50):
                fields = {**VALID_REPORT, **REPORTER, "reporter_email": f"nguoi{n}@example.vn"}
                assert (await post_report(client, fields)).status_code == 303
            # Every report was filed while the sender was stuck talking to the hanging server.
            assert hanging.connections
            assert await Case.all().count() == 50
            assert await OutboxMessage.filter(status="pending").count() == 100

            hanging.close()
            server.start()
            await wait_for(lambda: len(server.handler.received) >= 100, seconds=60)
            await asyncio.sleep(0.5)  # room for a duplicate to show up, if there were one
            assert await OutboxMessage.filter(status="sent").count() == 100
    finally:
        hanging.close()
        server.stop()
    ids = Counter(mail.message_id for mail in server.handler.received)
    assert len(ids) == 100 and set(ids.values()) == {1}
    assert len(server.handler.to(AGENCY_MAILBOX)) == 50
    assert {r for mail in server.handler.received for r in mail.recipients} >= {
        f"nguoi{n}@example.vn" for n in range(50)}


async def test_a_busy_mailbox_is_retried_until_it_accepts(mail_client, smtp_server):
    smtp_server.handler.transient_failures[AGENCY_MAILBOX] = 2
    await post_report(mail_client)
    await wait_for(lambda: len(smtp_server.handler.received) == 1)
    alert = await settled(kind="agency_alert")
    assert (alert.status, alert.attempts, alert.last_error) == ("sent", 3, "")
    assert not (await Case.get()).alert_undelivered


async def test_a_refused_mailbox_fails_only_its_message_and_flags_the_case(mail_client,
                                                                          smtp_server):
    smtp_server.handler.refuse_permanently.add(AGENCY_MAILBOX)
    await post_report(mail_client, {**VALID_REPORT, **REPORTER})
    await wait_for(lambda: len(smtp_server.handler.received) == 1)
    alert = await settled(kind="agency_alert")
    assert smtp_server.handler.received[0].recipients == [CITIZEN]
    assert (alert.status, alert.attempts, alert.permanent_failure) == ("failed", 1, True)
    assert alert.last_error.startswith("550 5.1.1")
    case = await Case.get()
    assert case.alert_undelivered
    flagged = await AuditEvent.get(action="alert_undelivered")
    assert flagged.after == {"alert_undelivered": True, "recipient": AGENCY_MAILBOX}

    status = await outbox_status()
    assert (status.pending, status.sent, status.failed) == (0, 1, 1)
    assert "550 5.1.1" in status.last_error


async def test_retries_stop_at_the_limit_and_failed_mail_can_be_requeued(mail_settings,
                                                                        smtp_server):
    smtp_server.handler.transient_failures[AGENCY_MAILBOX] = 3
    settings = replace(mail_settings, outbox_max_attempts=2)
    async with running_app(settings) as app, browser(app) as client:
        await post_report(client)
        alert = await settled(kind="agency_alert")
        assert (alert.status, alert.attempts, alert.permanent_failure) == ("failed", 2, False)
        assert (await Case.get()).alert_undelivered

        assert await requeue_failed() == 1
        app.state.intake.outbox_sender.wake()
        await wait_for(lambda: len(smtp_server.handler.received) == 1)
    assert smtp_server.handler.transient_failures[AGENCY_MAILBOX] == 0


def queue_messages(count: int) -> Callable[[], object]:
    async def queue() -> None:
        async with in_transaction() as connection:
            for n in range(count):
                await enqueue(connection, event_key=f"test:{n}", kind="test",
                              recipient=f"hop-thu-{n}@example.vn",
                              mail=RenderedMail(f"Thư số {n}", f"Nội dung {n}", f"<p>{n}</p>"))
    return queue


def standalone_sender(settings: Settings) -> OutboxSender:
    return outbox_sender(settings)  # as `intake outbox run` makes it


async def test_two_senders_deliver_each_of_500_messages_exactly_once(settings, smtp_server):
    mail = replace(settings, smtp=SmtpConfig(host="127.0.0.1", port=smtp_server.port))
    async with running_app(settings):  # the database, and no sender of its own
        await queue_messages(500)()
        first, second = standalone_sender(mail), standalone_sender(mail)
        sent = await asyncio.gather(first.run_until_idle(), second.run_until_idle())
        assert await OutboxMessage.filter(status="sent").count() == 500
    # How the work splits between the two depends on timing; that it is never done twice does not.
    assert sum(sent) == 500
    ids = Counter(received.message_id for received in smtp_server.handler.received)
    assert len(ids) == 500 and set(ids.values()) == {1}


async def test_a_batch_goes_over_several_connections_even_to_one_mailbox(settings, smtp_server):
    mail = replace(settings, smtp=SmtpConfig(host="127.0.0.1", port=smtp_server.port,
                                             connections=3))
    async with running_app(settings):
        async with in_transaction() as connection:
            for n in range(60):  # most to one agency's mailbox, as alerts go
                await enqueue(connection, event_key=f"test:{n}", kind="test",
                              recipient=f"hop-thu-{n % 6 if n % 2 else 0}@example.vn",
                              mail=RenderedMail(f"Thư số {n}", f"Nội dung {n}", f"<p>{n}</p>"))
        assert await standalone_sender(mail).run_until_idle() == 60
        assert await OutboxMessage.filter(status="sent").count() == 60
    received = smtp_server.handler.received
    assert Counter(mail.message_id for mail in received).most_common(1)[0][1] == 1
    assert len(received) == 60
    connections = {mail.peer for mail in received}
    assert 1 < len(connections) <= 3
    assert len(smtp_server.handler.to("hop-thu-0@example.vn")) == 30
    assert len({mail.peer for mail in smtp_server.handler.to("hop-thu-0@example.vn")}) == 3


async def test_a_sender_that_dies_mid_batch_leaves_nothing_stuck(settings, smtp_server):
    mail = replace(settings, smtp=SmtpConfig(host="127.0.0.1", port=smtp_server.port))
    async with running_app(settings):
        await queue_messages(30)()
        claimed = await claim_batch(20, lease=dt.timedelta(seconds=2))
        assert len(claimed) == 20  # ... and then this sender was killed
        survivor = standalone_sender(mail)
        assert await survivor.run_until_idle() == 10  # the claimed ones are not touched yet
        await asyncio.sleep(2.1)  # the dead sender's lease runs out
        assert await survivor.run_until_idle() == 20
        # The dead sender cannot overwrite what the survivor recorded.
        late = DeliveryResult(Outcome.REFUSED, "550 late")
        await record_results([(message, late) for message in claimed], RetryPolicy())
        assert await OutboxMessage.filter(status="sent").count() == 30
    assert len(smtp_server.handler.received) == 30


async def test_one_event_never_queues_two_messages(settings):
    async with running_app(settings) as app, browser(app) as client:
        await post_report(client)
        case = await Case.get()
        routed = await AuditEvent.get(action="routed")
        notifier = app.state.intake.outbox_sender.notifier
        with pytest.raises(Exception, match="(?i)unique"):
            async with in_transaction() as connection:
                await notifier(connection, CaseEvent(case, Actor.system(), "routed"), routed)
        assert await OutboxMessage.filter(kind="agency_alert").count() == 1


async def test_a_resolution_notice_tells_the_citizen_the_outcome(mail_settings, smtp_server):
    async with running_app(mail_settings) as app, browser(app) as client:
        await post_report(client, {**VALID_REPORT, **REPORTER})
        case = await Case.get()
        case.status = "resolved"
        case.public_outcome = ("Đã kiểm tra, tạm giữ 120 chai nước mắm giả nhãn hiệu; "
                               "xử phạt 15.000.000 đồng.")
        await case.save()
        events = app.state.intake.events
        async with in_transaction() as connection:
            await events.record(connection, CaseEvent(case, Actor("staff", "1"), "resolve"))
        events.committed()
        await wait_for(lambda: len(smtp_server.handler.to(CITIZEN)) == 2)
    notice = smtp_server.handler.to(CITIZEN)[-1]
    assert notice.message["Subject"].endswith("của bạn đã được giải quyết")
    assert "tạm giữ 120 chai nước mắm giả" in notice.part("plain")
    assert "tạm giữ 120 chai nước mắm giả" in notice.part("html")


async def test_overdue_digests_are_queued_once_a_day_after_the_hour(settings):
    async with running_app(settings) as app, browser(app) as client:
        for _ in range(2):
            await post_report(client)
        await post_report(client, {**VALID_REPORT, "category": "labelling"})
        await Case.filter(category="counterfeit").update(
            due_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
        # The later one of them is assigned: the digest names who holds each, latest first.
        inspector = await create_user("an.nguyen@qltt.gov.vn", "mật-khẩu-đủ-dài-1", "inspector",
                                      "qltt", {"qltt", "khcn", "bvntd"}, name="Nguyễn Văn An")
        latest = await Case.filter(category="counterfeit").order_by("-id").first()
        await Case.filter(id=latest.id).update(assignee=inspector,
                                               due_at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC))
        notifier = app.state.intake.outbox_sender.notifier
        # 06:30 in Vietnam: before the digest hour (7).
        early = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
        assert await queue_due_digests(notifier, 7, early) == 0
        later = early + dt.timedelta(hours=1)
        assert await queue_due_digests(notifier, 7, later) == 1  # only qltt has overdue cases
        assert await queue_due_digests(notifier, 7, later + dt.timedelta(hours=3)) == 0
        digest = await OutboxMessage.get(kind="overdue_digest")
        codes = await Case.filter(category="counterfeit").values_list("tracking_code", flat=True)
        # Once the agency has leads, the digest goes to each of them instead of the mailbox.
        for lead in ("truong-phong@qltt.gov.vn", "pho-phong@qltt.gov.vn"):
            await create_user(lead, "mật-khẩu-đủ-dài-1", "lead", "qltt", {"qltt", "khcn", "bvntd"})
        await create_user("thanh-tra@qltt.gov.vn", "mật-khẩu-đủ-dài-1", "inspector", "qltt",
                          {"qltt", "khcn", "bvntd"})
        next_day = later + dt.timedelta(days=1)
        assert await queue_due_digests(notifier, 7, next_day) == 2
        recipients = await OutboxMessage.filter(kind="overdue_digest").exclude(
            id=digest.id).order_by("recipient").values_list("recipient", flat=True)
        assert recipients == ["pho-phong@qltt.gov.vn", "truong-phong@qltt.gov.vn"]
    assert digest.recipient == AGENCY_MAILBOX
    assert digest.subject == "Chi cục Quản lý thị trường: 2 hồ sơ quá hạn"
    for code in codes:
        assert f"{code[:5]}-{code[5:]}" in digest.body_text and code in digest.body_html
    lines = [line for line in digest.body_text.splitlines() if line.startswith("- ")]
    # 1 November is 22 days before the 23rd (Vietnam), 10 November 13: the latest first.
    assert "Người được giao: chưa giao" in lines[0] and "quá hạn 22 ngày" in lines[0]
    assert "Người được giao: Nguyễn Văn An" in lines[1] and "quá hạn 13 ngày" in lines[1]
    assert "Nguyễn Văn An" in digest.body_html and "quá hạn 22 ngày" in digest.body_html
