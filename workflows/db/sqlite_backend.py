"""Tortoise's SQLite client, with transactions that take the write lock at BEGIN and that let
go of everything when BEGIN itself fails.

SQLite's default (deferred) transaction takes the write lock at its first write; if another
process holds it then, SQLite answers "database is locked" at once, without waiting, because
waiting could deadlock. Nearly every transaction here reads and then writes (a locked row, a
version check), so under a second writer — another worker, `intake demo`, a backup — they
failed. BEGIN IMMEDIATE waits for the lock (the connection's five-second busy timeout) before
anything is read. Tortoise has no option for it (tortoise-orm issue #1675).
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionalDBClient, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError, TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            if self._connection.in_transaction:  # Tortoise commits first; a no-op mostly
                await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise OperationalError(exc) from exc  # still locked after the busy timeout
            raise TransactionManagementError(exc) from exc


class GuardedTransactionContext(SqliteTransactionContext):
    """Tortoise's context takes the connection's lock and points the task at the transaction
    before BEGIN; when BEGIN fails, __aexit__ never runs, so the lock stayed taken and every
    later transaction of the worker waited for ever. Here a failed BEGIN undoes both."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return self.connection  # type: ignore[no-any-return]


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return GuardedTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
