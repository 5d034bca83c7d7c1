"""What the outbox asks of a way to deliver its messages — SMTP for mail, Kannel for SMS: a
few conversations at once, each handing over every message's result the moment it is known.

The outbox writes each result down before the conversation goes on to its next message
(`workflows/mail/recording.py`), so a sender that dies has at most one message per
conversation delivered and not written down: those are all a crash can send twice.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from workflows.mail.models import OutboxMessage


class Outcome(Enum):
    SENT = "sent"
    # A transient failure (SMTP 4xx, the SMS gateway's 5xx, a timeout, a server down): try
    # again later.
    RETRY = "retry"
    # Permanent (SMTP 5xx, the SMS gateway's 4xx, or it cannot be built): give up now.
    REFUSED = "refused"


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Outcome
    detail: str = ""


class Channel(Protocol):
    @property
    def name(self) -> str:
        """The outbox rows it delivers: their `channel` ("mail", "sms")."""

    @property
    def conversations(self) -> int:
        """How many conversations run at once: the most messages ever in flight."""

    def conversation(self, messages: list[OutboxMessage],
                     ) -> AsyncGenerator[tuple[OutboxMessage, DeliveryResult], None]:
        """Deliver `messages` one after another over one connection, yielding each with its
        result in their order, one result for every message, and starting the next only
        when the caller asks for it. Closing the generator ends the conversation at once."""
        ...
