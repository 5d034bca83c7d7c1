"""Every limit on what one person or address may do, declared here with the message that
explains it: reports filed and cases looked up per address (allowances per hour, from the
settings), failed sign-ins per account and per address, and wrong PINs per case (lockouts).

Counts live in the database, so several workers share one count and a restart forgets
nothing. The web layer only turns a refusal into a 429 with Retry-After.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from workflows.access.models import RateCounter
from workflows.i18n.formatting import format_datetime
from workflows.i18n.messages import N_, Problem

WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Allowance:
    """So many requests of one kind per address per hour; 0: unlimited (a trusted gateway)."""

    name: str  # what is counted: "report", "track"
    per_hour: int
    message: str  # a gettext id with {time}: when the next request is let in


@dataclass(frozen=True)
class Lockout:
    """So many failures within a window lock the subject (an account, an address, a case)."""

    prefix: str
    max_failures: int
    window: dt.timedelta
    lockout: dt.timedelta
    message: str  # a gettext id with {time}: when the lock ends


TOO_MANY_REPORTS = N_("Too many reports were sent from your network in the last hour. Please "
                      "try again after {time}, or call the hotline.")
TOO_MANY_LOOKUPS = N_("Too many look-ups from your network in the last hour. Please try again "
                      "after {time}.")
SIGN_IN_PER_ACCOUNT = Lockout("account", 5, dt.timedelta(minutes=15), dt.timedelta(minutes=15),
                              N_("Too many failed sign-ins. Try again after {time}."))
SIGN_IN_PER_ADDRESS = Lockout("ip", 30, dt.timedelta(minutes=15), dt.timedelta(minutes=15),
                              N_("Too many failed sign-ins. Try again after {time}."))
PIN_PER_CASE = Lockout("pin", 10, dt.timedelta(hours=1), dt.timedelta(hours=1),
                       N_("Too many wrong PINs. Try again after {time}."))


@dataclass(frozen=True)
class Allowances:
    """The per-hour allowances of this installation (INTAKE_RATE_LIMIT, INTAKE_TRACK_RATE_LIMIT)."""

    report: Allowance
    track: Allowance

    @classmethod
    def per_hour(cls, reports: int, lookups: int) -> Allowances:
        return cls(Allowance("report", reports, TOO_MANY_REPORTS),
                   Allowance("track", lookups, TOO_MANY_LOOKUPS))


class RateLimited(Exception):
    """Used up: `retry_at` is when the next request is let in; `problem` says so to a person."""

    def __init__(self, retry_at: dt.datetime, message: str) -> None:
        super().__init__(retry_at.isoformat())
        self.retry_at = retry_at
        self.problem = Problem(message, {"time": format_datetime(retry_at)})


async def spend(allowance: Allowance, address: str, now: dt.datetime | None = None) -> None:
    """Count one request from `address`, or raise RateLimited (counting nothing) when the
    hour's allowance is used up."""
    if allowance.per_hour <= 0:
        return
    now = now or dt.datetime.now(dt.UTC)
    key = f"{allowance.name}:{address}"[:300]
    await RateCounter.get_or_create(key=key, defaults={"window_start": now, "hits": 0})
    async with in_transaction() as connection:
        # Locked row on PostgreSQL, the write lock on SQLite: two workers never lose a count.
        row = await RateCounter.filter(key=key).using_db(connection).select_for_update().get()
        if now - row.window_start >= WINDOW:
            row.window_start, row.hits = now, 0
        if row.hits >= allowance.per_hour:
            raise RateLimited(row.window_start + WINDOW, allowance.message)
        row.hits += 1
        await row.save(using_db=connection)
