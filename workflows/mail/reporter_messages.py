"""Messages to a reporter that no event causes: the link to their page, asked for with "Quên
mã PIN?" (workflows.cases.forgotten_pin), sent to the contact they left."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.cases.models import Case
from workflows.mail.outbox import enqueue

if TYPE_CHECKING:
    from workflows.mail.notifications import Notifier

LINK_KIND = "reporter_link"


async def send_link(notifier: Notifier, connection: BaseDBAsyncClient, case: Case,
                    channel: str, now: dt.datetime) -> None:
    """The reporter's link by mail (SMS: once the gateway is configured)."""
    page = notifier.links.reporter_page(case.tracking_code, case.reporter_epoch)
    context = {"case": case, "own_page": page}
    if channel == "mail":
        await enqueue(connection, event_key=f"{LINK_KIND}:{case.id}:{now.isoformat()}",
                      kind=LINK_KIND, recipient=case.reporter_email, case=case,
                      mail=notifier.renderer.render(LINK_KIND, case.language, context))
