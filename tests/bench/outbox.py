"""Outbox: mails per second from the queue to a local aiosmtpd server (its Sink handler, in a
process of its own), through the real sender: claim a batch under a lease, send it over a few
SMTP connections at once, record the results. Goal (issue 20): ≥ 500 mails/s."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import replace

from tortoise.transactions import in_transaction

from intake.context import create_outbox_sender
from tests.bench.common import (
    Figure,
    Results,
    bench_settings,
    connected,
    drop_database,
    fresh_database,
)
from tests.live import free_port
from workflows.mail.models import OutboxMessage
from workflows.mail.notifications import Notifier
from workflows.mail.outbox import enqueue
from workflows.mail.rendering import RenderedMail
from workflows.mail.smtp import SmtpConfig
from workflows.reference.loading import load_reference

GOAL_PER_SECOND = 500.0
# About the size of a real agency alert: a few facts, a link, both parts.
ALERT = RenderedMail(
    subject="[Intake] Phản ánh mới ABCDE-FGHJK: Hàng giả — Nước mắm Phú Quốc 500 ml",
    text="Cơ quan nhận được một phản ánh mới.\n" + "Sản phẩm: Nước mắm Phú Quốc 500 ml\n" * 20,
    html="<p>Cơ quan nhận được một phản ánh mới.</p>" + "<p>Sản phẩm: Nước mắm</p>" * 40,
)


def _smtp_sink(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Sink"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("aiosmtpd did not start") from None
            time.sleep(0.1)


async def _queue(messages: int) -> None:
    for first in range(0, messages, 1000):
        async with in_transaction() as connection:
            for number in range(first, min(first + 1000, messages)):
                await enqueue(connection, event_key=f"bench:{number}", kind="agency_alert",
                              recipient=f"hop-thu-{number % 3}@example.gov.vn", mail=ALERT)


async def outbox_part(kind: str, messages: int, results: Results) -> None:
    url = await fresh_database(kind, "outbox")
    port = free_port()
    sink = _smtp_sink(port)
    try:
        settings = replace(bench_settings(url), smtp=SmtpConfig(
            host="127.0.0.1", port=port, mail_from="Intake <no-reply@intake.example.vn>"))
        reference = load_reference(settings.config_dir)
        async with connected(url):
            await _queue(messages)
            sender = create_outbox_sender(settings, Notifier(settings.base_url, reference))
            started = time.perf_counter()
            sent = await sender.run_until_idle()
            seconds = time.perf_counter() - started
            delivered = await OutboxMessage.filter(status="sent").count()
        if delivered != messages or sent != messages:
            raise SystemExit(f"{delivered} of {messages} delivered")
        rate = messages / seconds
        results.add(Figure("outbox", kind, f"{messages:,} mails to aiosmtpd", rate, "mails/s",
                           goal=f"≥ {GOAL_PER_SECOND:.0f}", met=rate >= GOAL_PER_SECOND,
                           note=f"{seconds:.1f} s, batches of {sender.batch_size} over "
                                f"{settings.smtp.connections} connections"))
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        await drop_database(url)
