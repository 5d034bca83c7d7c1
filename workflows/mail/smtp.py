"""Delivering outbox messages by SMTP with aiosmtplib: the outbox's channel for email. The
sender runs a few of its conversations at once (each message waits on the server's answers,
not on the CPU, so several in parallel multiply what one worker sends).

Each message ends in one of three outcomes: sent, a transient failure (4xx, timeout, server
down: try again later) or a permanent refusal (5xx: the mailbox does not exist, give up now).
"""

from __future__ import annotations

import email.policy
import email.utils
import functools
import mimetypes
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import aiosmtplib

from workflows.mail.addresses import ascii_mailbox, sender
from workflows.mail.channel import DeliveryResult, Outcome
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


def message_id(message: OutboxMessage, domain: str) -> str:
    """Derived from the outbox id: a retry of a mail that did arrive carries the same id."""
    return f"<intake-outbox-{message.id}@{domain}>"


# How a message goes on the wire. Built with the email package's compat32 classes (email.mime,
# email.header): the newer EmailMessage parses and refolds every header it is given, which cost
# 3.6 ms of CPU per alert here (six times these) and capped one worker's sending. Non-ASCII
# header text becomes RFC 2047 encoded words whose spaces travel inside the words, so folding
# a long Vietnamese subject between two words loses no space ("trả lời câu hỏi" arrives whole).
WIRE_POLICY = email.policy.compat32.clone(linesep="\r\n")


class Unbuildable(Exception):
    """This message cannot become an email (its address, subject or text): it fails alone."""


def build_email(message: OutboxMessage, config: SmtpConfig) -> tuple[bytes, str]:
    """The email's bytes and its one envelope recipient, or Unbuildable saying why."""
    try:
        return _build(message, config)
    except Exception as error:  # whatever the address, header or body check raises
        raise Unbuildable(f"cannot be built: {type(error).__name__}: {error}") from None


@functools.lru_cache(maxsize=64)
def _from_header(mail_from: str, name: str = "") -> str:
    """The service's address, under the name of who writes (an agency) when one is given."""
    configured, address = sender(mail_from)
    return email.utils.formataddr((name or configured, address), charset="utf-8")


def _one_line(text: str) -> str:
    """Refuse every line break Python knows (CR, LF, VT, FF, FS, GS, RS, NEL, LS, PS): the
    compat32 generator splits a header at any of them."""
    if text and text.splitlines() != [text]:  # a break inside, or one at the end
        raise ValueError("a header is one line")
    return text


def _text_header(text: str) -> Header | str:
    text = _one_line(text)
    return text if text.isascii() else Header(text, "utf-8")


def _build(message: OutboxMessage, config: SmtpConfig) -> tuple[bytes, str]:
    recipient = ascii_mailbox(message.recipient)  # one mailbox, so one envelope recipient
    body = MIMEMultipart("alternative", policy=WIRE_POLICY)
    body.attach(MIMEText(message.body_text, "plain", "utf-8", policy=WIRE_POLICY))
    body.attach(MIMEText(message.body_html, "html", "utf-8", policy=WIRE_POLICY))
    mail = body
    if message.attachment is not None:
        kind = mimetypes.guess_type(message.attachment_name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        part = MIMEBase(maintype, subtype, policy=WIRE_POLICY)
        part.set_payload(bytes(message.attachment))
        encoders.encode_base64(part)
        name = _one_line(message.attachment_name)
        part.add_header("Content-Disposition", "attachment",
                        filename=name if name.isascii() else ("utf-8", "", name))
        mail = MIMEMultipart("mixed", policy=WIRE_POLICY)
        mail.attach(body)
        mail.attach(part)
    mail["From"] = _from_header(config.mail_from, _one_line(message.from_name))
    mail["To"] = recipient
    if message.reply_to:
        mail["Reply-To"] = ascii_mailbox(message.reply_to)
    mail["Subject"] = _text_header(message.subject)  # type: ignore[assignment]
    mail["Message-ID"] = message_id(message, config.from_domain)
    mail["Date"] = email.utils.format_datetime(message.created_at)
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
    name = "mail"

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

    @property
    def conversations(self) -> int:
        return max(1, self.config.connections)

    async def conversation(self, messages: list[OutboxMessage],
                           ) -> AsyncGenerator[tuple[OutboxMessage, DeliveryResult], None]:
        """One SMTP connection: each message's result as soon as the server has answered it."""
        client = self._client()
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as error:
            # A refusal at connect or login says nothing about the recipients: try again later.
            retry = DeliveryResult(Outcome.RETRY, _classify(error).detail)
            for message in messages:
                yield message, retry
            return
        try:
            for position, message in enumerate(messages):
                try:
                    result = await self._send(client, message)
                except aiosmtplib.SMTPServerDisconnected as error:
                    lost = DeliveryResult(Outcome.RETRY, f"server disconnected: {error}")
                    for remaining in messages[position:]:
                        yield remaining, lost
                    return
                yield message, result
        except BaseException:
            # Closed early (the sender stops, or could not write a result down) or cancelled:
            # drop the line rather than wait on it.
            client.close()
            raise
        if client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()

    async def _send(self, client: aiosmtplib.SMTP, message: OutboxMessage) -> DeliveryResult:
        """Raises SMTPServerDisconnected only: the connection is gone for the messages after."""
        try:
            mail, recipient = build_email(message, self.config)
            await client.sendmail(self.config.from_address, [recipient], mail)
        except Unbuildable as refused:
            return DeliveryResult(Outcome.REFUSED, str(refused))
        except aiosmtplib.SMTPServerDisconnected:
            raise
        except (aiosmtplib.SMTPException, OSError) as error:
            return _classify(error)
        except Exception as error:  # the mail library refused this message only
            return DeliveryResult(Outcome.REFUSED, f"{type(error).__name__}: {error}")
        return DeliveryResult(Outcome.SENT)
