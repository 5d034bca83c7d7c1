"""Delivering outbox SMS through a Kannel gateway's HTTP sendsms interface (smsbox): the
outbox's channel for SMS, a GET per message over httpx, a few conversations at once.

Each message ends in one of three outcomes: sent (202: the gateway took it; what became of
it later comes back as a delivery report), refused (another 4xx: a number the gateway or its
lists refuse, a text it cannot take: give up now) or retry later (5xx, a timeout, the gateway
down). A 403 (the gateway refuses INTAKE_SMS_URL's username or password) and a 400 "Sender
missing" (no brandname set on either side) say nothing about the message: like a mail
server's refusal at login, they are retried, so that fixing the setting loses nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from workflows.mail.channel import DeliveryResult, Outcome
from workflows.mail.models import OutboxMessage
from workflows.mail.sms_text import encoding

if TYPE_CHECKING:  # imported by the sender alone: every `intake` command reads the settings
    import httpx

# Kannel's delivery report types: 1 delivered to the phone, 2 not delivered, 4 buffered,
# 8 taken by the SMSC, 16 refused by the SMSC. All five are asked for.
DLR_MASK = 31
ANSWER_TEXT_LIMIT = 200
log = logging.getLogger("intake.outbox")


@dataclass(frozen=True)
class KannelConfig:
    # smsbox's sendsms URL with its username and password; "": no SMS is sent (they wait)
    url: str = field(default="", repr=False)
    sender: str = ""  # the brandname ("from"); "": the gateway's global-sender
    conversations: int = 2  # requests in flight at once per sender
    timeout_seconds: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.url)

    @property
    def where(self) -> str:
        """The gateway's address, without its password, for messages to an operator."""
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(query="", netloc=parts.hostname or "")) + (
            f" (port {parts.port})" if parts.port else "")


def _config_refusal(status: int, answer: str) -> bool:
    return status == 403 or (status == 400 and "sender missing" in answer.lower())


class KannelSender:
    """`delivery_url(message_id)`: where the gateway reports on that message (signed)."""

    name = "sms"

    def __init__(self, config: KannelConfig, delivery_url: Callable[[int], str]) -> None:
        self.config = config
        self.delivery_url = delivery_url
        parts = urlsplit(config.url)
        self._base = urlunsplit(parts._replace(query=""))
        self._credentials = parse_qsl(parts.query, keep_blank_values=True)
        self._secrets = [value for _, value in self._credentials if len(value) >= 3]

    @property
    def conversations(self) -> int:
        return max(1, self.config.conversations)

    def query(self, message: OutboxMessage) -> list[tuple[str, str]]:
        """The sendsms parameters of one message, after the URL's own (username, password)."""
        params = [*self._credentials, ("to", message.recipient), ("text", message.body_text),
                  ("charset", "UTF-8")]
        if encoding(message.body_text).ucs2:
            params.append(("coding", "2"))
        if self.config.sender:
            params.append(("from", self.config.sender))
        params += [("dlr-mask", str(DLR_MASK)), ("dlr-url", self.delivery_url(message.id))]
        return params

    async def conversation(self, messages: list[OutboxMessage],
                           ) -> AsyncGenerator[tuple[OutboxMessage, DeliveryResult], None]:
        """One HTTP connection, kept alive: each message's result as soon as smsbox answers."""
        import httpx

        async with httpx.AsyncClient(timeout=self.config.timeout_seconds,
                                     limits=httpx.Limits(max_connections=1)) as client:
            for message in messages:
                yield message, await self._send(client, message)

    async def _send(self, client: httpx.AsyncClient, message: OutboxMessage) -> DeliveryResult:
        import httpx

        try:
            url = f"{self._base}?{urlencode(self.query(message))}"
            answer = await client.get(url)
        except httpx.HTTPError as error:  # refused, reset, timed out: the gateway is away
            return DeliveryResult(Outcome.RETRY,
                                  self._hidden(f"{type(error).__name__}: {error}"))
        text = " ".join(answer.text.split())[:ANSWER_TEXT_LIMIT]
        detail = self._hidden(f"{answer.status_code} {text}".strip())
        if answer.is_success:
            return DeliveryResult(Outcome.SENT, detail)
        if 400 <= answer.status_code < 500 and not _config_refusal(answer.status_code, text):
            return DeliveryResult(Outcome.REFUSED, detail)
        return DeliveryResult(Outcome.RETRY, detail)

    def _hidden(self, detail: str) -> str:
        """An error may quote the request: never the gateway's password in the outbox."""
        for secret in self._secrets:
            detail = detail.replace(secret, "[hidden]")
        return detail


class _NoSendsmsQueries(logging.Filter):
    """httpx logs each request's URL at INFO: a sendsms URL carries the gateway's password, a
    citizen's number and the text. The query of a URL with a password stays out of the log."""

    _QUERY = re.compile(r"\?\S*")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._QUERY.sub("?[hidden]", str(arg), count=1)
                                if "pass" in str(arg) else arg for arg in record.args)
        return True


logging.getLogger("httpx").addFilter(_NoSendsmsQueries())
