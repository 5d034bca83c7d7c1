"""Tortoise's asyncpg client, with transactions that give their connection back to the pool
when BEGIN itself fails.

Tortoise's pooled context takes a connection and points the task at the transaction before
BEGIN; when BEGIN fails (a connection the server cut while it sat in the pool), __aexit__ never
runs: the connection never went back, and after a handful of such failures the pool was empty
and every request waited for ever. Here a failed BEGIN returns the connection and resets the
task's pointer.
"""

from __future__ import annotations

import contextlib

from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    TransactionalDBClient,
    TransactionContext,
    TransactionContextPooled,
)
from tortoise.connection import get_connections


class GuardedPooledContext(TransactionContextPooled):
    async def __aenter__(self) -> TransactionalDBClient:
        await self.ensure_connection()
        pool = self.client._parent._pool
        self.client._connection = await pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            try:
                with contextlib.suppress(Exception):  # a dead connection is dropped by the pool
                    await pool.release(self.client._connection)
            finally:
                get_connections().reset(self.token)
            raise
        return self.client


class GuardedAsyncpgClient(AsyncpgDBClient):
    def _in_transaction(self) -> TransactionContext:
        return GuardedPooledContext(TransactionWrapper(self), self._pool_init_lock)


client_class = GuardedAsyncpgClient
