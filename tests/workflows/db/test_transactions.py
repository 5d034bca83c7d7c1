"""A transaction whose BEGIN fails gives back what it took: SQLite's connection lock, the
PostgreSQL pool's connection, the task's pointer to the transaction. (Tortoise's own contexts
keep all three when BEGIN raises, so a worker stops serving after a few such failures.)

The failure is injected at the driver's edge — BEGIN refused as a server that is going away
refuses it — because no real server action fails BEGIN on demand; the SQLite lock case is also
shown end to end in tests/security/test_faults.py."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.backends.asyncpg.client import TransactionWrapper as PostgresTransaction
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from workflows.cases.models import Case
from workflows.db.sqlite_backend import ImmediateTransactionWrapper

FAILURES = 8  # more than the PostgreSQL pool's connections, and than one lock


@pytest.fixture
def begin_fails(app, monkeypatch, database_url):
    """BEGIN refused the next FAILURES times, by whichever driver the test runs on."""
    wrapper = ImmediateTransactionWrapper if database_url.startswith("sqlite") else (
        PostgresTransaction)
    original = wrapper.begin
    left = {"failures": FAILURES}

    async def refusing(self) -> None:
        if left["failures"] > 0:
            left["failures"] -= 1
            raise OperationalError("the database is shutting down")
        await original(self)

    monkeypatch.setattr(wrapper, "begin", refusing)
    return left


async def test_a_failed_begin_gives_back_the_lock_and_the_connection(begin_fails, client):
    for _ in range(FAILURES):
        with pytest.raises(OperationalError):
            async with in_transaction():
                raise AssertionError("the transaction cannot have begun")
    assert begin_fails["failures"] == 0

    async def one_transaction() -> int:
        async with in_transaction() as connection:
            return await Case.all().using_db(connection).count()

    # Left taken, the lock (or the drained pool) would make these wait for ever.
    assert await asyncio.wait_for(asyncio.gather(*(one_transaction() for _ in range(6))),
                                  timeout=20) == [0] * 6
    assert (await client.get("/healthz")).status_code == 200
