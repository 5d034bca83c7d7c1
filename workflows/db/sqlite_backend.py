"""Tortoise's SQLite client, with transactions that take the write lock at BEGIN.

SQLite's default (deferred) transaction takes the write lock at its first write; if another
process holds it then, SQLite answers "database is locked" at once, without waiting, because
waiting could deadlock. Nearly every transaction here reads and then writes (a locked row, a
version check), so under a second writer — another worker, `intake demo`, a backup — they
failed. BEGIN IMMEDIATE waits for the lock (the connection's five-second busy timeout) before
anything is read. Tortoise has no option for it (tortoise-orm issue #1675).
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import OperationalError, TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise OperationalError(exc) from exc  # still locked after the busy timeout
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
