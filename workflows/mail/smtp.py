"""Delivering outbox messages by SMTP with aiosmtplib: a batch goes over a few connections at
once (each message waits on the server's answers, not on the CPU, so several conversations in
parallel multiply what one worker sends).

Each message ends in one of three outcomes: sent, a transient failure (4xx, timeout, server
down: try again later) or a permanent refusal (5xx: the mailbox does not exist, give up now).
"""

from __future__ import annotations

import asyncio
import email.policy
import email.utils
import mimetypes
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import Enum

import aiosmtplib

from workflows.mail.addresses import ascii_mailbox, sender
from workflows.mail.models import OutboxMessage

TLS_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class SmtpConfig:
    host: str = ""  # empty: nothing is sent, messages stay queued
    port: int = 25
    username: str = ""
    password: str = field(default="", repr=False)
    tls: str = "none"
    mail_from: str = "Phản ánh hàng giả <no-reply@localhost>"
    timeout_seconds: float = 30.0
    connections: int = 4  # SMTP conversations in parallel per batch (INTAKE_SMTP_CONNECTIONS)

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def from_address(self) -> str:
        return sender(self.mail_from)[1]

    @property
    def from_domain(self) -> str:
        return self.from_address.rpartition("@")[2] or "localhost"


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"
    REFUSED = "refused"


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Outcome
    detail: str = ""


def message_id(message: OutboxMessage, domain: str) -> str:
    """Derived from the outbox id: a retry of a mail that did arrive carries the same id."""
    return f"<intake-outbox-{message.id}@{domain}>"


# How a message goes on the wire. Python's email package, folding a long non-ASCII header at
# 78 characters (email.policy.SMTP, which aiosmtplib's send_message uses), turns the space
# between two encoded words into folding whitespace, which RFC 2047 readers then drop: "trả
# lời câu hỏi" arrives as "câuhỏi". Lines may run to RFC 5322's 998 characters instead, and
# subjects are kept short enough (workflows.mail.rendering) never to need folding.
WIRE_POLICY = email.policy.SMTP.clone(max_line_length=998)


class Unbuildable(Exception):
    """This message cannot become an email (its address, subject or text): it fails alone."""


def build_email(message: OutboxMessage, config: SmtpConfig) -> tuple[bytes, str]:
    """The email's bytes and its one envelope recipient, or Unbuildable saying why."""
    try:
        return _build(message, config)
    except Exception as error:  # whatever the address, header or body check raises
        raise Unbuildable(f"cannot be built: {type(error).__name__}: {error}") from None


def _build(message: OutboxMessage, config: SmtpConfig) -> tuple[bytes, str]:
    recipient = ascii_mailbox(message.recipient)  # one mailbox, so one envelope recipient
    mail = EmailMessage()
    mail["From"] = config.mail_from
    mail["To"] = recipient
    mail["Subject"] = message.subject
    mail["Message-ID"] = message_id(message, config.from_domain)
    mail["Date"] = email.utils.format_datetime(message.created_at)
    mail.set_content(message.body_text, charset="utf-8")
    mail.add_alternative(message.body_html, subtype="html", charset="utf-8")
    if message.attachment is not None:
        kind = mimetypes.guess_type(message.attachment_name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        mail.add_attachment(bytes(message.attachment), maintype=maintype, subtype=subtype,
                            filename=message.attachment_name)
    # Every part encodes now, not halfway through the SMTP conversation.
    return mail.as_bytes(policy=WIRE_POLICY), recipient


def _classify(error: Exception) -> DeliveryResult:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        refusal = error.recipients[0]
        return _by_code(refusal.code, refusal.message)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return _by_code(error.code, error.message)
    return DeliveryResult(Outcome.RETRY, f"{type(error).__name__}: {error}")


def _by_code(code: int, text: str) -> DeliveryResult:
    outcome = Outcome.REFUSED if 500 <= code < 600 else Outcome.RETRY
    return DeliveryResult(outcome, f"{code} {text}".strip())


class SmtpSender:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def _client(self) -> aiosmtplib.SMTP:
        config = self.config
        return aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            username=config.username or None,
            password=config.password or None,
            use_tls=config.tls == "tls",
            start_tls=True if config.tls == "starttls" else False,
            timeout=config.timeout_seconds,
        )

    async def deliver(self, messages: list[OutboxMessage]) -> dict[int, DeliveryResult]:
        """Send a batch over up to `connections` connections at once; every message gets a
        result, whatever happens."""
        count = max(1, self.config.connections)
        # In turn, not by mailbox: most alerts go to a handful of agencies' mailboxes.
        lanes = [messages[start::count] for start in range(min(count, len(messages)))]
        results: dict[int, DeliveryResult] = {}
        for lane in await asyncio.gather(*(self._deliver_over_one(lane)
                                           for lane in lanes)):
            results.update(lane)
        return results

    async def _deliver_over_one(self, messages: list[OutboxMessage],
                                ) -> dict[int, DeliveryResult]:
        results: dict[int, DeliveryResult] = {}
        client = self._client()
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as error:
            failure = _classify(error)
            # A refusal at connect or login says nothing about the recipients: try again later.
            retry = DeliveryResult(Outcome.RETRY, failure.detail)
            return {message.id: retry for message in messages}
        try:
            for message in messages:
                try:
                    mail, recipient = build_email(message, self.config)
                    await client.sendmail(self.config.from_address, [recipient], mail)
                    results[message.id] = DeliveryResult(Outcome.SENT)
                except Unbuildable as refused:
                    results[message.id] = DeliveryResult(Outcome.REFUSED, str(refused))
                except aiosmtplib.SMTPServerDisconnected as error:
                    lost = DeliveryResult(Outcome.RETRY, f"server disconnected: {error}")
                    for remaining in messages:
                        results.setdefault(remaining.id, lost)
                    break
                except (aiosmtplib.SMTPException, OSError) as error:
                    results[message.id] = _classify(error)
                except Exception as error:  # the mail library refused this message only
                    results[message.id] = DeliveryResult(
                        Outcome.REFUSED, f"{type(error).__name__}: {error}")
        except BaseException:
            # Cancelled mid-conversation (shutdown): drop the line rather than wait on it.
            client.close()
            raise
        if client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()
        return results
