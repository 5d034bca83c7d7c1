"""Lockouts: attempts at a secret (a staff password, a reporter's PIN) counted per account,
case and network, each declared here with the message that explains it.

An attempt is counted before its secret is checked, in one locked transaction: a hundred
parallel tries get exactly the allowed number checked. A right answer gives its attempt back.
The web layer only turns a refusal into a 429 with Retry-After.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from workflows.access.models import LoginThrottle
from workflows.i18n.formatting import format_datetime
from workflows.i18n.messages import N_, Problem


@dataclass(frozen=True)
class Lockout:
    """So many failures within a window lock the subject (an account, an address, a case)."""

    prefix: str
    max_failures: int
    window: dt.timedelta
    lockout: dt.timedelta
    message: str  # a gettext id with {time}: when the lock ends


# Guessing is stopped close to where it comes from: five tries at one account from one network,
# thirty at any account from one network. A network that spreads its guesses over many
# addresses meets the account's own, wider limit; one guessing from a few addresses cannot
# lock a person out for everyone.
TOO_MANY_SIGN_INS = N_("Too many failed sign-ins. Try again after {time}.")
SIGN_IN_PER_ACCOUNT_AND_ADDRESS = Lockout("account-ip", 5, dt.timedelta(minutes=15),
                                          dt.timedelta(minutes=15), TOO_MANY_SIGN_INS)
SIGN_IN_PER_ADDRESS = Lockout("ip", 30, dt.timedelta(minutes=15), dt.timedelta(minutes=15),
                              TOO_MANY_SIGN_INS)
SIGN_IN_PER_ACCOUNT = Lockout("account", 50, dt.timedelta(hours=1), dt.timedelta(hours=1),
                              TOO_MANY_SIGN_INS)
# PINs: ten tries at one case per network an hour (and every try is also a look-up, under the
# network's hourly allowance). Tracking codes are public, so the case's count from everywhere
# never locks anyone by itself: it would let a stranger lock the reporter out, again every
# hour. Once it passes fifty, a network that has already failed at that case is locked for
# the hour, and so is every network of a block (an IPv6 /48, an IPv4 /24) one of whose
# networks failed: a guesser hopping over a site's 65,536 /64s gets one guess for the site,
# while a network that never failed there, in a block that never did (the reporter's own
# phone), is still checked.
TOO_MANY_PINS = N_("Too many wrong PINs. Try again after {time}.")
PIN_PER_CASE_AND_ADDRESS = Lockout("pin-ip", 10, dt.timedelta(hours=1), dt.timedelta(hours=1),
                                   TOO_MANY_PINS)
PIN_PER_CASE = Lockout("pin", 50, dt.timedelta(hours=1), dt.timedelta(hours=1), TOO_MANY_PINS)


class LockedOut(Exception):
    """Too many attempts: no more are checked until `until`; `problem` says so to a person."""

    def __init__(self, until: dt.datetime, message: str) -> None:
        super().__init__(until.isoformat())
        self.until = until
        self.problem = Problem(message, {"time": format_datetime(until)})


def _key(lockout: Lockout, subject: str) -> str:
    return f"{lockout.prefix}:{subject}"[:300]


async def _create_counters(keys: tuple[str, ...], now: dt.datetime) -> None:
    """A counter for each subject at its first attempt, committed on its own: parallel first
    attempts then all find the row to wait on."""
    for key in keys:
        await LoginThrottle.get_or_create(key=key, defaults={"failures": 0, "window_start": now})


async def _locked(keys: tuple[str, ...], connection: BaseDBAsyncClient) -> list[LoginThrottle]:
    """The counters, locked for this transaction in the order given (a locked row on
    PostgreSQL, the write lock on SQLite): every worker waits its turn."""
    return [await LoginThrottle.filter(key=key).using_db(connection).select_for_update().get()
            for key in keys]


def _lock_running(row: LoginThrottle, lockout: Lockout, now: dt.datetime) -> dt.datetime | None:
    """When the row's lock ends if it still runs; otherwise None, the count started again if
    its window or its lock is over."""
    if row.locked_until and row.locked_until > now:
        return row.locked_until
    if row.locked_until or now - row.window_start > lockout.window:
        row.failures, row.window_start, row.locked_until = 0, now, None
    return None


async def reserve_attempt(lockout: Lockout, subject: str, now: dt.datetime | None = None) -> None:
    """Count one attempt at the secret before it is checked, or raise LockedOut (counting
    nothing): at most `max_failures` attempts per window are ever checked, however many
    arrive at once. A right answer gives its attempt back (`forgive`)."""
    now = now or dt.datetime.now(dt.UTC)
    keys = (_key(lockout, subject),)
    await _create_counters(keys, now)
    async with in_transaction() as connection:
        [row] = await _locked(keys, connection)
        locked_until = _lock_running(row, lockout, now)
        if locked_until is None:
            if row.failures >= lockout.max_failures:
                row.locked_until = locked_until = now + lockout.lockout  # kept: it commits
            else:
                row.failures += 1
            await row.save(using_db=connection)
    if locked_until is not None:
        raise LockedOut(locked_until, lockout.message)


async def reserve_attempts(lockouts: list[tuple[Lockout, str]]) -> None:
    """One attempt counted under each lockout, narrowest first; LockedOut by the first that
    says no (the narrower counts keep their attempt: it was made)."""
    for lockout, subject in lockouts:
        await reserve_attempt(lockout, subject)


async def reserve_attempt_from(per_network: Lockout, network_subject: str,
                               everywhere: Lockout, subject: str,
                               now: dt.datetime | None = None, *, block_subject: str) -> None:
    """Count one attempt at `subject` (a case) from a network (`network_subject`, within the
    block `block_subject`) before the secret is checked, or raise LockedOut for that network
    (counting nothing). The count from everywhere locks no one by itself: past its limit it
    locks a network that has already failed here, or whose block has (see PIN_PER_CASE)."""
    now = now or dt.datetime.now(dt.UTC)
    # The network's row, its block's, then the subject's, in every try: none waits on another
    # crosswise.
    keys = (_key(per_network, network_subject), _key(per_network, f"block:{block_subject}"),
            _key(everywhere, subject))
    await _create_counters(keys, now)
    async with in_transaction() as connection:
        mine, block, everyone = await _locked(keys, connection)
        locked_until = _lock_running(mine, per_network, now)
        _lock_running(block, per_network, now)  # its count only: a block is never locked
        _lock_running(everyone, everywhere, now)  # only to start its count again: it locks no one
        if locked_until is None:
            failed_here = mine.failures > 0 or block.failures > 0
            guessing = failed_here and everyone.failures >= everywhere.max_failures
            if guessing or mine.failures >= per_network.max_failures:
                mine.locked_until = locked_until = now + per_network.lockout
            else:
                for row in (mine, block, everyone):
                    row.failures += 1
                await block.save(using_db=connection)
                await everyone.save(using_db=connection)
            await mine.save(using_db=connection)
    if locked_until is not None:
        raise LockedOut(locked_until, per_network.message)


async def forgive(lockout: Lockout, subject: str, *, all_of_them: bool = False) -> None:
    """The attempt was right: it does not count (`all_of_them`: nor do the earlier ones)."""
    rows = LoginThrottle.filter(key=_key(lockout, subject))
    if all_of_them:
        await rows.delete()
        return
    # One statement, atomic under every worker: never below zero, never a running lock's.
    await rows.filter(failures__gt=0, locked_until__isnull=True).update(
        failures=F("failures") - 1)
