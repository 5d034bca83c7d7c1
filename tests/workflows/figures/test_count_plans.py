"""How the database reads a month it counts: through the index on the day received, whatever
else a measure asks of the cases. SQLite's plans only: PostgreSQL's planner knows how many
cases are open from its statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tortoise import Tortoise

from workflows.figures.tallies import count_live
from workflows.i18n.formatting import VIETNAM


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_months_received_cases_are_read_by_the_day_received(app, monkeypatch):
    """The rejected cases (never resolved, closed or rejected) were read through the index on
    resolved_at, or on status without ANALYZE: every such case of every month, 200 ms for one
    month at 1,000,000 cases (7 s with a cold cache) where reading the month's cases takes
    12 ms."""
    connection = Tortoise.get_connection("default")
    statements: list[tuple[str, list[Any]]] = []
    original = type(connection).execute_query

    async def recording(self: Any, sql: str, values: list[Any] | None = None) -> Any:
        statements.append((sql, list(values or [])))
        return await original(self, sql, values)

    monkeypatch.setattr(type(connection), "execute_query", recording)
    start = dt.datetime(2026, 10, 15, tzinfo=VIETNAM).astimezone(dt.UTC)
    await count_live(start, start + dt.timedelta(days=31))
    monkeypatch.undo()

    received = [(sql, values) for sql, values in statements
                if '"created_at">=?' in sql and '"resolved_at">=?' not in sql]
    assert len(received) == 11  # one per measure of the cases received
    for sql, values in received:
        plan = await connection.execute_query_dict("EXPLAIN QUERY PLAN " + sql, values)
        reads = [row["detail"] for row in plan if row["detail"].startswith(("SEARCH", "SCAN"))]
        assert len(reads) == 1 and "(created_at>? AND created_at<?)" in reads[0], (sql, reads)
