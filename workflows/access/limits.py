"""Every allowance of what one address or client may do per hour, declared here with the
message that explains it: reports filed, follow-ups added and cases looked up (from the
settings). Lockouts of attempts at a secret are in workflows.access.lockouts.

Counts live in the database, so several workers share one count and a restart forgets
nothing. The web layer only turns a refusal into a 429 with Retry-After.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from typing import Any

from tortoise import connections
from tortoise.exceptions import OperationalError
from tortoise.expressions import Q

from workflows.access.models import LoginThrottle, RateCounter
from workflows.db.sql import numbered_marks
from workflows.i18n.formatting import format_datetime
from workflows.i18n.messages import N_, Problem

WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Allowance:
    """So many requests of one kind per address per hour; 0: unlimited (a trusted gateway)."""

    name: str  # what is counted: "report", "track"
    per_hour: int
    message: str  # a gettext id with {time}: when the next request is let in


TOO_MANY_REPORTS = N_("Too many reports were sent from your network in the last hour. Please "
                      "try again after {time}, or call the hotline.")
TOO_MANY_LOOKUPS = N_("Too many look-ups from your network in the last hour. Please try again "
                      "after {time}.")
TOO_MANY_CLIENT_REPORTS = N_("This client sent too many reports in the last hour. Please "
                             "try again after {time}.")
TOO_MANY_FOLLOWUPS = N_("Too many additions were sent from your network in the last hour. "
                        "Please try again after {time}.")
# Counters left over once their window and lock are long past: nothing to keep them for.
STALE_COUNTERS = dt.timedelta(days=1)


@dataclass(frozen=True)
class Allowances:
    """The per-hour allowances of this installation (INTAKE_RATE_LIMIT, INTAKE_TRACK_RATE_LIMIT,
    INTAKE_FOLLOWUP_RATE_LIMIT, INTAKE_API_CLIENT_RATE_LIMIT)."""

    report: Allowance
    track: Allowance
    followup: Allowance
    # Reports from one registered API client (counted per client, not per address).
    client_report: Allowance

    @classmethod
    def per_hour(cls, reports: int, lookups: int, followups: int | None = None,
                 client_reports: int = 0) -> Allowances:
        return cls(Allowance("report", reports, TOO_MANY_REPORTS),
                   Allowance("track", lookups, TOO_MANY_LOOKUPS),
                   Allowance("followup", reports if followups is None else followups,
                             TOO_MANY_FOLLOWUPS),
                   Allowance("report", client_reports, TOO_MANY_CLIENT_REPORTS))


class RateLimited(Exception):
    """Used up: `retry_at` is when the next request is let in; `problem` says so to a person."""

    def __init__(self, retry_at: dt.datetime, message: str) -> None:
        super().__init__(retry_at.isoformat())
        self.retry_at = retry_at
        self.problem = Problem(message, {"time": format_datetime(retry_at)})


def network(address: str) -> str:
    """What limits count by: an IPv4 address, or an IPv6 /64 (one subscriber's whole network:
    counting its single addresses would let one user appear as 2^64); a registered client
    ("client:<id>") as itself."""
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if isinstance(found, ipaddress.IPv6Address):
        if found.ipv4_mapped:
            return str(found.ipv4_mapped)
        return str(ipaddress.IPv6Interface(f"{found}/64").network)
    return str(found)


def wide_network(address: str) -> str:
    """The block a network belongs to, for counting guesses that hop from network to network:
    an IPv6 /48 (one site, 65,536 /64s) or an IPv4 /24."""
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if isinstance(found, ipaddress.IPv6Address) and not found.ipv4_mapped:
        return str(ipaddress.IPv6Interface(f"{found}/48").network)
    v4 = found.ipv4_mapped if isinstance(found, ipaddress.IPv6Address) else found
    return str(ipaddress.IPv4Interface(f"{v4}/24").network)


# A request is counted in one UPDATE while the allowance lasts (the row reset when its hour is
# over): atomic under every worker at once, one round trip where a locked read took five. Only
# a key seen for the first time is INSERTed: an upsert on every request would draw a number
# from PostgreSQL's id sequence each time, refused ones included, and exhaust it.
_COUNT_ONE = """
UPDATE rate_counter SET
    hits = CASE WHEN window_start <= {expired} THEN 1 ELSE hits + 1 END,
    window_start = CASE WHEN window_start <= {expired} THEN {now} ELSE window_start END
WHERE key = {key} AND (window_start <= {expired} OR hits < {allowed})
RETURNING hits
"""
_FIRST_ONE = """
INSERT INTO rate_counter (key, window_start, hits) VALUES ({key}, {now}, 1)
ON CONFLICT (key) DO NOTHING RETURNING hits
"""
_COUNT_OF = "SELECT window_start, hits FROM rate_counter WHERE key = {key}"
# The statements' parameters, numbered in this order ($1 on PostgreSQL, ?1 on SQLite); each
# statement uses a first few of them.
_PARAMETERS = ("key", "now", "expired", "allowed")


# A round ends without an answer only when another request created the row or began its new
# hour between two statements of this one; the next round then counts on that row.
_ROUNDS = 3


def _numbered(template: str, dialect: str) -> tuple[str, int]:
    """The SQL with numbered placeholders, and how many parameters it takes."""
    used = [name for name in _PARAMETERS if "{" + name + "}" in template]
    marks = numbered_marks(dialect, len(_PARAMETERS))
    return template.format(**dict(zip(_PARAMETERS, marks, strict=True))), len(used)


async def spend(allowance: Allowance, address: str, now: dt.datetime | None = None) -> None:
    """Count one request from `address`'s network, or raise RateLimited (counting nothing)
    when the hour's allowance is used up."""
    if allowance.per_hour <= 0:
        return
    key = f"{allowance.name}:{network(address)}"[:300]
    connection = connections.get("default")
    # In UTC: Tortoise's SQLite adapter writes a datetime as isoformat(" "), and the stored
    # text then compares as the time does.
    moment = dt.datetime.now(dt.UTC) if now is None else now.astimezone(dt.UTC)
    expired = moment - WINDOW  # a window that began then or before is over
    values = [key, moment, expired, allowance.per_hour]  # in _PARAMETERS' order

    async def run(template: str) -> list[dict[str, Any]]:
        sql, count = _numbered(template, connection.capabilities.dialect)
        # execute_query_dict: Tortoise's asyncpg execute_query drops what an INSERT returns.
        rows: list[dict[str, Any]] = await connection.execute_query_dict(sql, values[:count])
        return rows

    for _ in range(_ROUNDS):
        if await run(_COUNT_ONE):
            return
        # Not counted: the hour's allowance is used up, or there was no row when the UPDATE
        # ran. Another request may have created the row since (committed, or on PostgreSQL
        # waited for by our INSERT below): only the row as it is now tells which.
        found = await run(_COUNT_OF)
        if not found:
            if await run(_FIRST_ONE):
                return
            continue  # another request's INSERT came first: count on its row
        # The row the UPDATE did not count on is one whose hour is still running (it counts
        # on one whose hour is over): used up, or reset since by another request.
        if found[0]["hits"] >= allowance.per_hour:
            raise RateLimited(_as_time(found[0]["window_start"]) + WINDOW, allowance.message)
    raise OperationalError(f"{key}: the count changed under every one of {_ROUNDS} tries")


def _as_time(stored: dt.datetime | str) -> dt.datetime:
    return stored if isinstance(stored, dt.datetime) else dt.datetime.fromisoformat(stored)


async def purge_stale(now: dt.datetime | None = None) -> int:
    """Forget counters whose window and lock ended a day ago (they may hold whatever someone
    typed as an account name); how many were forgotten."""
    cutoff = (dt.datetime.now(dt.UTC) if now is None else now) - STALE_COUNTERS
    stale = LoginThrottle.filter(window_start__lt=cutoff).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=cutoff))
    rate_stale = RateCounter.filter(window_start__lt=cutoff)
    return int(await stale.delete()) + int(await rate_stale.delete())
