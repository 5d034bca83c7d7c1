"""A sender that dies, or loses its database, in the middle of a queue: every message still
arrives, and at most one per SMTP connection arrives twice per fault — the ones in flight,
which the server may have taken before the sender could write it down. A message sent again
is the same email, Message-ID and all, so a receiver can drop the second copy.

The SMTP server is slow to say 250 (`answer_delay`) and keeps each message before answering:
the worst case, where a message in flight at the fault has always arrived."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import pytest

from intake.settings import Settings
from tests.conftest import running_app
from tests.helpers import wait_for
from tests.live import free_port, start_server
from tests.security.test_faults import hold_write_lock
from tests.smtp_server import Received, SmtpServer
from tests.workflows.mail.test_outbox import queue_messages, standalone_sender
from workflows.mail.models import OutboxMessage
from workflows.mail.smtp import SmtpConfig

CONNECTIONS = 4
MESSAGES = 60
ANSWER_DELAY = 0.1
OUTAGE_SECONDS = 10.0
Outage = Callable[[float], Awaitable[None]]  # the database gone for so many seconds


@pytest.fixture
def slow_smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.handler.answer_delay = ANSWER_DELAY
    server.start()
    yield server
    server.stop()


async def the_leases_run_out() -> None:
    """What five minutes would do to a dead sender's claims, without waiting five minutes."""
    await OutboxMessage.filter(status="pending").update(lease_until=None)


def what_it_says(mail: Received) -> tuple[str, ...]:
    """The email as its reader sees it (the MIME boundaries are drawn anew at each sending)."""
    headers = tuple(str(mail.message[name]) for name in ("Message-ID", "Date", "From", "To",
                                                          "Subject"))
    return (*headers, mail.part("plain"), mail.part("html"))


def duplicates(received: list[Received]) -> int:
    """Copies beyond the first of each Message-ID; each copy must be the same email."""
    copies: dict[str, list[tuple[str, ...]]] = {}
    for mail in received:
        copies.setdefault(mail.message_id, []).append(what_it_says(mail))
    for message_id, sent in copies.items():
        assert len(set(sent)) == 1, f"{message_id} was sent twice with different contents"
    return len(received) - len(copies)


async def all_sent() -> None:
    deadline = time.monotonic() + 60
    while await OutboxMessage.filter(status="sent").count() < MESSAGES:
        assert time.monotonic() < deadline, "some mail was never recorded as sent"
        await asyncio.sleep(0.1)


async def test_a_server_killed_mid_send_resends_at_most_one_mail_per_connection(
        settings: Settings, slow_smtp_server: SmtpServer) -> None:
    received = slow_smtp_server.handler.received
    env = {"INTAKE_SMTP_HOST": "127.0.0.1", "INTAKE_SMTP_PORT": str(slow_smtp_server.port),
           "INTAKE_SMTP_CONNECTIONS": str(CONNECTIONS), "INTAKE_SMTP_TIMEOUT_SECONDS": "5",
           "INTAKE_OUTBOX_POLL_SECONDS": "0.1"}
    crashes = (15, 35)  # kill -9 once this many mails have arrived
    async with running_app(settings):  # the test's own view of the database; no sender
        await queue_messages(MESSAGES)()
        for arrived in crashes:
            server = start_server(settings, free_port(), env=env)
            try:
                await wait_for(lambda: len(received) >= arrived, seconds=60)  # noqa: B023
            finally:
                os.kill(server.pid, signal.SIGKILL)
                server.wait()
            await the_leases_run_out()
        server = start_server(settings, free_port(), env=env)
        try:
            await all_sent()
        finally:
            server.terminate()
            server.wait(timeout=30)
        ids = await OutboxMessage.all().values_list("id", flat=True)
    assert {mail.message_id for mail in received} == {
        f"<intake-outbox-{message_id}@localhost>" for message_id in ids}
    print(f"{duplicates(received)} duplicates after {len(crashes)} crashes")
    assert duplicates(received) <= CONNECTIONS * len(crashes)


class CuttablePostgres:
    """A TCP relay to PostgreSQL that can be cut: its connections reset and new ones refused,
    which is what a client sees of a server that is stopped, without stopping the server the
    other tests share."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.port = free_port()
        self.url = urlunsplit(parts._replace(
            netloc=f"{parts.username}:{parts.password}@127.0.0.1:{self.port}"))
        self.server: asyncio.Server | None = None
        self.relayed: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.relayed:
            writer.transport.abort()
        self.relayed.clear()

    async def _relay(self, client_reader: asyncio.StreamReader,
                     client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self.relayed |= {client_writer, server_writer}
        await asyncio.gather(self._pipe(client_reader, server_writer),
                             self._pipe(server_reader, client_writer), return_exceptions=True)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.transport.abort()


@asynccontextmanager
async def reachable_database(settings: Settings,
                             ) -> AsyncIterator[tuple[Settings, Outage]]:
    """The settings to run on, and how to take their database away for a while."""
    if settings.database_kind == "sqlite":
        path = settings.database_url.removeprefix("sqlite://").split("?")[0]

        async def lock_out(seconds: float) -> None:
            # Another process's writer: every write waits five seconds, then fails.
            await asyncio.to_thread(lambda: hold_write_lock(path, seconds).join())
        yield settings, lock_out
        return
    relay = CuttablePostgres(settings.database_url)
    await relay.start()

    async def stop_postgres(seconds: float) -> None:
        relay.cut()
        await asyncio.sleep(seconds)
        await relay.start()
    try:
        yield replace(settings, database_url=relay.url), stop_postgres
    finally:
        relay.cut()


async def test_a_database_outage_mid_send_resends_at_most_one_mail_per_connection(
        mail_settings: Settings, slow_smtp_server: SmtpServer) -> None:
    received = slow_smtp_server.handler.received
    async with reachable_database(mail_settings) as (settings, outage):
        settings = replace(settings, smtp=SmtpConfig(
            host="127.0.0.1", port=slow_smtp_server.port, timeout_seconds=30,
            connections=CONNECTIONS))
        async with running_app(settings) as app:
            await queue_messages(MESSAGES)()
            await wait_for(lambda: len(received) >= 15, seconds=30)
            before = len(received)
            await outage(OUTAGE_SECONDS)
            # The fault came mid-send, and held back all but the mail then in flight.
            assert before < MESSAGES and len(received) - before <= CONNECTIONS
            await quiet(received)
            await the_leases_run_out()
            app.state.intake.outbox_sender.wake()
            await all_sent()
    assert len({mail.message_id for mail in received}) == MESSAGES
    print(f"{duplicates(received)} duplicates after a {OUTAGE_SECONDS:.0f} s outage")
    assert duplicates(received) <= CONNECTIONS


async def quiet(received: list[Received], seconds: float = 2.0) -> None:
    """Until no mail has arrived for `seconds`: the sender is done with what it held."""
    seen, since = len(received), time.monotonic()
    while time.monotonic() - since < seconds:
        await asyncio.sleep(0.1)
        if len(received) != seen:
            seen, since = len(received), time.monotonic()


async def test_a_sender_stopped_mid_send_writes_down_what_it_sent_and_gives_back_the_rest(
        mail_settings: Settings, slow_smtp_server: SmtpServer) -> None:
    received = slow_smtp_server.handler.received
    settings = replace(mail_settings, smtp=replace(mail_settings.smtp,
                                                   port=slow_smtp_server.port))
    async with running_app(settings):  # its own sender stops with it
        await queue_messages(MESSAGES)()
        await wait_for(lambda: len(received) >= 15, seconds=30)
    async with running_app(mail_settings):  # the database alone
        sent = await OutboxMessage.filter(status="sent").count()
        assert sent == len(received) < MESSAGES  # the ones in flight, too
        # The rest can be taken at once, not when the lease would have ended.
        assert not await OutboxMessage.filter(status="pending", lease_until__isnull=False).exists()


async def test_a_sender_starts_nothing_its_lease_could_end_under(
        settings: Settings, slow_smtp_server: SmtpServer) -> None:
    """A lease (INTAKE_OUTBOX_LEASE_SECONDS) shorter than a batch takes: each sender stops
    starting messages in the last fifth of its lease and gives back the rest, so the other
    sender, which takes them, never sends one twice."""
    mail = replace(settings, outbox_lease_seconds=3.0, smtp=SmtpConfig(
        host="127.0.0.1", port=slow_smtp_server.port, connections=CONNECTIONS))
    messages = 160  # 4 s over four connections
    async with running_app(settings):
        await queue_messages(messages)()
        first, second = standalone_sender(mail), standalone_sender(mail)
        assert first.lease == dt.timedelta(seconds=3)
        await asyncio.gather(first.run_until_idle(), second.run_until_idle())
        assert await OutboxMessage.filter(status="sent").count() == messages
    received = slow_smtp_server.handler.received
    assert len({mail.message_id for mail in received}) == len(received) == messages
