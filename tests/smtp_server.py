"""A real SMTP server (aiosmtpd) for the tests, with refusals on demand."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.live import free_port


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage
    peer: tuple[str, int] = ("", 0)  # the client's address and port: one per connection

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype
        return str(body.get_content())


@dataclass
class RecordingHandler:
    received: list[Received] = field(default_factory=list)
    refuse_permanently: set[str] = field(default_factory=set)
    transient_failures: dict[str, int] = field(default_factory=dict)
    # Seconds between taking a message and saying 250: a slow server, and the window in which
    # a sender that dies has delivered a message it never heard was accepted.
    answer_delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse_permanently:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        with self.lock:
            if self.transient_failures.get(address, 0) > 0:
                self.transient_failures[address] -= 1
                return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message,  # type: ignore[arg-type]
                                          tuple(session.peer)))
        if self.answer_delay:
            await asyncio.sleep(self.answer_delay)
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.received if address in mail.recipients]


class SmtpServer:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
