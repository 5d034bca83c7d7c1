"""Signing in to the back office, throttled: failed sign-ins are counted in the database per
account and per address, so every worker sees the same count; an unknown account is answered
exactly like a wrong password."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from workflows.access.accounts import normalize_email
from workflows.access.models import LoginThrottle, StaffUser
from workflows.access.passwords import hash_password, needs_rehash, password_matches


@dataclass(frozen=True)
class ThrottleRule:
    prefix: str
    max_failures: int
    window: dt.timedelta
    lockout: dt.timedelta


ACCOUNT_THROTTLE = ThrottleRule("account", 5, dt.timedelta(minutes=15), dt.timedelta(minutes=15))
ADDRESS_THROTTLE = ThrottleRule("ip", 30, dt.timedelta(minutes=15), dt.timedelta(minutes=15))


class SignInRefused(Exception):
    def __init__(self, locked_until: dt.datetime | None = None) -> None:
        super().__init__("sign-in refused")
        self.locked_until = locked_until


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
    verified = password_matches(user.password_hash if user else None, password)
    if not verified or user is None or not user.active:
        await _count_failure(ACCOUNT_THROTTLE, email, now)
        await _count_failure(ADDRESS_THROTTLE, address, now)
        raise SignInRefused()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        await user.save(update_fields=["password_hash"])
    await LoginThrottle.filter(key=f"account:{email}").delete()
    return user
