"""Server-side sessions: the cookie holds a random token, the table only its SHA-256, so that
signing out or disabling an account ends a session at once, on every worker."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from workflows.access.models import StaffSession, StaffUser
from workflows.audit import security
from workflows.audit.log import Actor
from workflows.db.errors import DATABASE_UNAVAILABLE

SESSION_IDLE = dt.timedelta(minutes=30)
SESSION_ABSOLUTE = dt.timedelta(hours=12)
# last_seen_at is written at most this often, not on every page.
SESSION_TOUCH_INTERVAL = dt.timedelta(minutes=1)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(user: StaffUser) -> str:
    """A new session (a new id at every sign-in); returns the token for the cookie."""
    token, now = secrets.token_urlsafe(32), _now()
    await StaffSession.create(token_digest=_digest(token), user=user, created_at=now,
                              last_seen_at=now, expires_at=now + SESSION_ABSOLUTE)
    return token


async def session_user(token: str | None) -> StaffUser | None:
    """The signed-in user for a cookie token, if the session is still alive."""
    if not token:
        return None
    now = _now()
    session = await StaffSession.get_or_none(token_digest=_digest(token)).select_related("user")
    if (session is None or session.revoked or session.expires_at <= now
            or now - session.last_seen_at > SESSION_IDLE or not session.user.active):
        return None
    if now - session.last_seen_at > SESSION_TOUCH_INTERVAL:
        try:
            await StaffSession.filter(id=session.id).update(last_seen_at=now)
        except DATABASE_UNAVAILABLE:
            # A database that takes no writes (a full disk, a standby) must not turn an officer's
            # form into an error page that loses what they typed: the session only ends sooner.
            pass
    return session.user


async def end_session(token: str | None, address: str) -> None:
    if not token:
        return
    session = await StaffSession.get_or_none(token_digest=_digest(token), revoked=False)
    if session is None:
        return
    await StaffSession.filter(id=session.id).update(revoked=True)
    await security.record(Actor("staff", str(session.user_id)),  # type: ignore[attr-defined]
                          security.SIGNED_OUT, address=address)
