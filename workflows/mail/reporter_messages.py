"""Messages to a reporter: by mail to the address they left, and by SMS too when they asked for
it (workflows.mail.sms), each carrying the link to their own page. Only to a reporter who
agreed to be contacted, and only ever to the reporter themselves: a citizen who added to the
case never gets their link."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.cases.models import Case
from workflows.cases.phones import takes_sms
from workflows.cases.sealing import agency_shown
from workflows.mail.answering import answerer
from workflows.mail.outbox import enqueue
from workflows.mail.sms import enqueue_sms, fitting

if TYPE_CHECKING:
    from workflows.mail.notifications import Notifier

LINK_KIND = "reporter_link"
MAIL, SMS = "mail", "sms"


async def to_reporter(notifier: Notifier, connection: BaseDBAsyncClient, case: Case, kind: str,
                      event_key: str, context: dict[str, Any],
                      channels: tuple[str, ...] | None = None) -> None:
    """One message of `kind` to the reporter over each of `channels` they can be reached by:
    mail when they left an address, SMS to a mobile number when `kind` has an SMS text. By
    default the channels they chose: mail, and SMS if they asked for it."""
    if not case.consent:
        return
    channels = channels or ((MAIL, SMS) if case.notify_sms else (MAIL,))
    # Their own page, without the PIN.
    full = {"case": case, "agency": agency_shown(case, notifier.agencies),
            "own_page": notifier.links.reporter_page(case.tracking_code, case.reporter_epoch),
            **context}
    if MAIL in channels and case.reporter_email:
        await enqueue(connection, event_key=event_key, kind=kind, recipient=case.reporter_email,
                      case=case, answered_by=answerer(notifier.reference, case),
                      mail=notifier.renderer.render(kind, case.language, full))
    renderer = notifier.renderer
    if (SMS in channels and kind in renderer.sms_kinds and case.reporter_phone
            and takes_sms(case.reporter_phone)):
        await enqueue_sms(connection, event_key=f"{event_key}:sms", kind=kind,
                          phone=case.reporter_phone, case=case, text=fitting(
                              lambda limit: renderer.render_sms(kind, case.language,
                                                                {**full, "limit": limit})))


async def send_link(notifier: Notifier, connection: BaseDBAsyncClient, case: Case,
                    channel: str, now: dt.datetime) -> None:
    """The reporter's link, asked for with "Quên mã PIN?" (workflows.cases.forgotten_pin), to
    the one contact they typed: by mail, or by SMS to the phone they left (whether or not they
    asked for SMS about the report: they ask for this one now)."""
    await to_reporter(notifier, connection, case, LINK_KIND,
                      f"{LINK_KIND}:{case.id}:{now.isoformat()}", {}, (channel,))
