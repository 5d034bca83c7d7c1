"""Per-address allowances on the public endpoints (reports filed, case look-ups), counted in the
database: several workers share one count, and a restart forgets nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from workflows.access.models import RateCounter

WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Allowance:
    name: str  # what is counted: "report", "track"
    per_hour: int  # 0: unlimited (a trusted network, such as a hotline's gateway)


class RateLimited(Exception):
    """The allowance for this hour is used up; `retry_at` is when the next request is let in."""

    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(retry_at.isoformat())
        self.retry_at = retry_at


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
            raise RateLimited(row.window_start + WINDOW)
        row.hits += 1
        await row.save(using_db=connection)
