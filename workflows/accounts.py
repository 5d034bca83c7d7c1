"""Staff accounts, sign-in with throttling, and server-side sessions.

Sessions live in the database, not in a signed cookie, so that logging out or disabling an
account ends them at once, on every worker. Failed sign-ins are counted in the database per
account and per address; an unknown account is answered exactly like a wrong password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.models import LoginThrottle, StaffSession, StaffUser

ROLES = ("admin", "officer", "lead", "inspector", "analyst")
AGENCY_ROLES = frozenset({"lead", "inspector"})
MIN_PASSWORD_CHARS = 10

SESSION_IDLE = dt.timedelta(minutes=30)
SESSION_ABSOLUTE = dt.timedelta(hours=12)
# last_seen_at is written at most this often, not on every page.
SESSION_TOUCH_INTERVAL = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class ThrottleRule:
    prefix: str
    max_failures: int
    window: dt.timedelta
    lockout: dt.timedelta


ACCOUNT_THROTTLE = ThrottleRule("account", 5, dt.timedelta(minutes=15), dt.timedelta(minutes=15))
ADDRESS_THROTTLE = ThrottleRule("ip", 30, dt.timedelta(minutes=15), dt.timedelta(minutes=15))

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the account does not exist, so both answers take as long.
_UNKNOWN_ACCOUNT_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A user cannot be created as asked; the message says why."""


class SignInRefused(Exception):
    def __init__(self, locked_until: dt.datetime | None = None) -> None:
        super().__init__("sign-in refused")
        self.locked_until = locked_until


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def create_user(email: str, password: str, role: str, agency_code: str | None,
                      known_agencies: set[str], name: str = "") -> StaffUser:
    email = normalize_email(email)
    if "@" not in email or any(ch.isspace() for ch in email):
        raise AccountError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if role in AGENCY_ROLES and agency_code not in known_agencies:
        raise AccountError(f"a {role} belongs to one agency: give --agency "
                           f"({', '.join(sorted(known_agencies))})")
    if role not in AGENCY_ROLES and agency_code:
        raise AccountError(f"a {role} is not tied to an agency: leave out --agency")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")
    try:
        return await StaffUser.create(email=email, name=name.strip(), role=role,
                                      agency_code=agency_code if role in AGENCY_ROLES else None,
                                      password_hash=_hasher.hash(password))
    except IntegrityError:
        raise AccountError(f"an account for {email} already exists") from None


async def _locked_until(rule: ThrottleRule, subject: str, now: dt.datetime) -> dt.datetime | None:
    row = await LoginThrottle.get_or_none(key=f"{rule.prefix}:{subject}")
    if row and row.locked_until and row.locked_until > now:
        return row.locked_until
    return None


async def _count_failure(rule: ThrottleRule, subject: str, now: dt.datetime) -> None:
    key = f"{rule.prefix}:{subject}"
    await LoginThrottle.get_or_create(key=key, defaults={"failures": 0, "window_start": now})
    async with in_transaction() as connection:
        # Locked row on PostgreSQL, the write lock on SQLite: two workers never lose a count.
        row = await LoginThrottle.filter(key=key).using_db(connection).select_for_update().get()
        if now - row.window_start > rule.window:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= rule.max_failures:
            row.locked_until, row.failures, row.window_start = now + rule.lockout, 0, now
        await row.save(using_db=connection)


async def authenticate(email: str, password: str, address: str) -> StaffUser:
    """The active user with this email and password, or SignInRefused (with the lock's end when
    too many attempts failed). Says nothing about whether the account exists."""
    email, now = normalize_email(email), _now()
    for rule, subject in ((ACCOUNT_THROTTLE, email), (ADDRESS_THROTTLE, address)):
        locked = await _locked_until(rule, subject, now)
        if locked:
            raise SignInRefused(locked)
    user = await StaffUser.get_or_none(email=email)
    try:
        _hasher.verify(user.password_hash if user else _UNKNOWN_ACCOUNT_HASH, password)
        verified = user is not None and user.active
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified or user is None:
        await _count_failure(ACCOUNT_THROTTLE, email, now)
        await _count_failure(ADDRESS_THROTTLE, address, now)
        raise SignInRefused()
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        await user.save(update_fields=["password_hash"])
    await LoginThrottle.filter(key=f"account:{email}").delete()
    return user


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
        await StaffSession.filter(id=session.id).update(last_seen_at=now)
    return session.user


async def end_session(token: str | None) -> None:
    if token:
        await StaffSession.filter(token_digest=_digest(token)).update(revoked=True)


async def set_active(email: str, active: bool) -> StaffUser:
    """Disable (or enable) an account; disabling ends all its sessions at once."""
    user = await StaffUser.get_or_none(email=normalize_email(email))
    if user is None:
        raise AccountError(f"no account for {normalize_email(email)}")
    async with in_transaction() as connection:
        await StaffUser.filter(id=user.id).using_db(connection).update(active=active)
        if not active:
            await StaffSession.filter(user_id=user.id).using_db(connection).update(revoked=True)
    user.active = active
    return user
