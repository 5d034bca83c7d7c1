"""Tortoise's asyncpg client, with transactions that give their connection back to the pool
when BEGIN itself fails, and a server that takes no writes told apart from a bug.

Tortoise's pooled context takes a connection and points the task at the transaction before
BEGIN; when BEGIN fails (a connection the server cut while it sat in the pool), __aexit__ never
runs: the connection never went back, and after a handful of such failures the pool was empty
and every request waited for ever. Here a failed BEGIN returns the connection and resets the
task's pointer.

A server that takes no writes — a hot standby after a failover, a database or role with
default_transaction_read_only — answers "cannot execute INSERT in a read-only transaction"
(SQLSTATE 25006), which Tortoise files with the transaction errors it takes for bugs
(TransactionManagementError, a 500). Here it is DatabaseRefused (a 503).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    TransactionalDBClient,
    TransactionContext,
    TransactionContextPooled,
)
from tortoise.connection import get_connections
from tortoise.exceptions import TransactionManagementError

from workflows.db.errors import DatabaseRefused


class ReadOnlyIsRefused(AsyncpgDBClient):
    """Every statement, in a transaction or not, goes through _translate_exceptions."""

    async def _translate_exceptions(self, func: Callable[..., Awaitable[Any]], *args: Any,
                                    **kwargs: Any) -> Any:
        try:
            return await super()._translate_exceptions(func, *args, **kwargs)
        except TransactionManagementError as exc:
            if isinstance(exc.__cause__, asyncpg.ReadOnlySQLTransactionError):
                raise DatabaseRefused(exc.__cause__) from exc.__cause__
            raise


class GuardedTransactionWrapper(ReadOnlyIsRefused, TransactionWrapper):
    pass


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


class GuardedAsyncpgClient(ReadOnlyIsRefused):
    def _in_transaction(self) -> TransactionContext:
        return GuardedPooledContext(GuardedTransactionWrapper(self), self._pool_init_lock)


client_class = GuardedAsyncpgClient
