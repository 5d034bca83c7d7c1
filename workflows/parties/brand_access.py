"""How a verified brand owner signs in to its pages (the cases on its brands, its guides): no
password, a link mailed to its registered address. The link works once, for a short while,
and only by a press of the page's button (mail scanners open links); the session it starts is
named by a value kept on the owner, so signing out — or an officer withdrawing the
verification — ends every session of the owner at once, on every worker.

Whether an address is registered is never told: asking for a link answers the same either
way, and one address is sent at most one link a few minutes."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.parties.models import BrandOwner

if TYPE_CHECKING:
    from workflows.cases.events import CaseEvents
    from workflows.mail.notifications import Notifier

LINK_LIFETIME = dt.timedelta(minutes=30)
RESEND_AFTER = dt.timedelta(minutes=5)
SESSION_LIFETIME = dt.timedelta(hours=12)


async def send_sign_in_link(typed_email: str, notifier: Notifier, events: CaseEvents,
                            now: dt.datetime) -> None:
    """Mail a sign-in link to a verified owner with this address; nothing otherwise."""
    try:
        email = mailbox(typed_email).casefold()
    except NotAMailbox:
        return
    async with in_transaction() as connection:
        owner = await BrandOwner.filter(email=email, status="verified").using_db(
            connection).select_for_update().first()
        if owner is None or (owner.sign_in_sent_at is not None
                             and owner.sign_in_sent_at > now - RESEND_AFTER):
            return
        owner.sign_in_nonce, owner.sign_in_sent_at = secrets.token_urlsafe(32), now
        await owner.save(using_db=connection, update_fields=["sign_in_nonce", "sign_in_sent_at"])
        await notifier.brand_owner_mail(connection, owner, "brand_sign_in", now=now)
    events.committed()


async def linked_owner(owner_id: int, nonce: str, now: dt.datetime) -> BrandOwner | None:
    """The verified owner a sign-in link names, while the link is fresh and unused."""
    owner = await BrandOwner.get_or_none(id=owner_id, status="verified")
    if owner is None or not owner.sign_in_nonce or owner.sign_in_sent_at is None or \
            owner.sign_in_sent_at + LINK_LIFETIME < now or \
            not hmac.compare_digest(owner.sign_in_nonce.encode(), nonce.encode()):
        return None
    return owner


async def use_sign_in_link(owner_id: int, nonce: str, now: dt.datetime) -> str | None:
    """Spend the link (once, even when pressed twice at once) and start a session: the value
    the session's cookie carries, or None. A new value each time: a session someone else
    started (or fixed) earlier ends."""
    owner = await linked_owner(owner_id, nonce, now)
    if owner is None:
        return None
    session = secrets.token_urlsafe(32)
    if not await BrandOwner.filter(id=owner.id, sign_in_nonce=nonce, status="verified").update(
            sign_in_nonce="", session_nonce=session):
        return None
    return session


async def session_owner(owner_id: int, session: str) -> BrandOwner | None:
    """The verified owner a session cookie names, while its session stands."""
    owner = await BrandOwner.get_or_none(id=owner_id, status="verified")
    if owner is None or not owner.session_nonce or not hmac.compare_digest(
            owner.session_nonce.encode(), session.encode()):
        return None
    return owner


async def sign_out(owner: BrandOwner) -> None:
    """Every session of the owner ends (the next sign-in starts a new one)."""
    await BrandOwner.filter(id=owner.id).update(session_nonce="")
