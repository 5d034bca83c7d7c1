"""Anyone may follow a case's public status by email: the address is mailed a link to confirm
(nothing else is sent before that), then each public change of the case, each with a link
that stops the mail. Whether an address follows a case is never told to anyone: asking again
answers the same, and re-sends the confirmation at most once an hour."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import TYPE_CHECKING

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.cases.events import CaseEvents
from workflows.cases.models import Case
from workflows.cases.refusals import InvalidInput
from workflows.cases.states import CLOSED_STATES
from workflows.i18n.messages import N_, Problem
from workflows.mail.addresses import NotAMailbox, mailbox, mailbox_key
from workflows.parties.models import CaseFollower

if TYPE_CHECKING:
    from workflows.mail.notifications import Notifier

RESEND_AFTER = dt.timedelta(hours=1)
# Confirmations one mailbox may be sent in a day, however its address is written
# (workflows.mail.addresses.mailbox_key): three asked from one network, ten in all — no one
# can make the service flood a stranger's mailbox, and a stranger asking from a network or
# two cannot use up the day of the mailbox's owner. And confirmations asked from one network
# in a day, whatever the addresses: no one can make it mail many strangers.
MAX_CONFIRMATIONS_A_DAY = 3
MAX_CONFIRMATIONS_A_DAY_PER_MAILBOX = 10
MAX_CONFIRMATIONS_A_DAY_PER_NETWORK = 10
CLOSED_CASE = N_("This report is closed: there is nothing more to follow.")
WRONG_ADDRESS = N_("Give one email address such as ten@example.com.")


class FollowLinkRefused(Exception):
    """A confirmation or unsubscribe link that names no follower (forged or mistyped)."""


async def ask_to_follow(case: Case, typed_email: str, language: str, network_digest: str,
                        notifier: Notifier, events: CaseEvents, now: dt.datetime) -> None:
    """Queue the confirmation mail for this address, unless one went within the hour, the
    address already follows the case, or a daily cap is reached (`network_digest`: of the
    network asking). The caller tells the person the same either way."""
    if case.status in CLOSED_STATES:
        raise InvalidInput({"follow_email": Problem(CLOSED_CASE)})
    try:
        email, key = mailbox(typed_email).casefold(), mailbox_key(typed_email)
    except NotAMailbox:
        raise InvalidInput({"follow_email": Problem(WRONG_ADDRESS)}) from None
    try:
        async with in_transaction() as connection:
            follower = await CaseFollower.filter(case_id=case.id, mailbox_key=key).using_db(
                connection).select_for_update().first()
            if await _capped(connection, key, network_digest, now):
                return  # enough mail to this mailbox, or from this network, today
            if follower is None:
                follower = await CaseFollower.create(
                    using_db=connection, case=case, email=email, mailbox_key=key,
                    network_digest=network_digest, language=language,
                    link_nonce=secrets.token_urlsafe(32), confirmation_sent_at=now)
            elif follower.confirmed_at and not follower.unsubscribed_at:
                return  # already following: nothing to send
            elif follower.confirmation_sent_at > now - RESEND_AFTER:
                return  # a confirmation is on its way
            else:  # asked again after an hour, or after unsubscribing: a fresh link
                follower.link_nonce, follower.language = secrets.token_urlsafe(32), language
                follower.confirmation_sent_at, follower.network_digest = now, network_digest
                follower.confirmed_at = follower.unsubscribed_at = None
                await follower.save(using_db=connection)
            await notifier.follow_confirmation(connection, follower, case, now)
    except IntegrityError:
        return  # the same address asked twice at once: the other request sends the link
    events.committed()


async def _capped(connection: BaseDBAsyncClient, key: str, network_digest: str,
                  now: dt.datetime) -> bool:
    today = CaseFollower.filter(confirmation_sent_at__gt=now - dt.timedelta(days=1)).using_db(
        connection)
    mailbox = today.filter(mailbox_key=key)
    return (await mailbox.filter(network_digest=network_digest).count() >= MAX_CONFIRMATIONS_A_DAY
            or await mailbox.count() >= MAX_CONFIRMATIONS_A_DAY_PER_MAILBOX
            or await today.filter(network_digest=network_digest).count()
            >= MAX_CONFIRMATIONS_A_DAY_PER_NETWORK)


async def _follower(follower_id: int, nonce: str) -> CaseFollower:
    follower = await CaseFollower.get_or_none(id=follower_id).select_related("case")
    if follower is None or not hmac.compare_digest(follower.link_nonce.encode(), nonce.encode()):
        raise FollowLinkRefused()
    return follower


async def linked_case_code(follower_id: int, nonce: str) -> str:
    """The tracking code of the case a link is about (FollowLinkRefused if it names none)."""
    return (await _follower(follower_id, nonce)).case.tracking_code


async def confirm(follower_id: int, nonce: str, now: dt.datetime) -> CaseFollower:
    """The address owner said yes (a press of the page's button, not the mail's link alone:
    mail scanners open links)."""
    follower = await _follower(follower_id, nonce)
    await CaseFollower.filter(id=follower.id, confirmed_at__isnull=True).update(
        confirmed_at=now, unsubscribed_at=None)
    return await CaseFollower.get(id=follower.id).select_related("case")


async def unsubscribe(follower_id: int, nonce: str, now: dt.datetime) -> CaseFollower:
    follower = await _follower(follower_id, nonce)
    await CaseFollower.filter(id=follower.id, unsubscribed_at__isnull=True).update(
        unsubscribed_at=now)
    return await CaseFollower.get(id=follower.id).select_related("case")


async def follower_count(case: Case) -> int:
    """Confirmed and still following: what staff see (never who)."""
    return await CaseFollower.filter(case_id=case.id, confirmed_at__isnull=False,
                                     unsubscribed_at__isnull=True).count()
