"""Tortoise's SQLite client, with transactions that take the write lock at BEGIN, that let go
of everything when BEGIN itself fails, and that leave nothing open when COMMIT fails; and a
connection that is opened again once a file it could only read can be written.

SQLite's default (deferred) transaction takes the write lock at its first write; if another
process holds it then, SQLite answers "database is locked" at once, without waiting, because
waiting could deadlock. Nearly every transaction here reads and then writes (a locked row, a
version check), so under a second writer — another worker, `intake demo`, a backup — they
failed. BEGIN IMMEDIATE waits for the lock (the connection's five-second busy timeout) before
anything is read. Tortoise has no option for it (tortoise-orm issue #1675).

A disk that fills shows at COMMIT, when the pages reach the WAL ("database or disk is full"):
Tortoise passed that error on raw (a 500) and left the transaction as SQLite left it, possibly
open, for the next BEGIN to commit. Errors that blame the file become DatabaseRefused (a 503).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from typing import Any

from tortoise.backends.base.client import (
    ConnectionWrapper,
    TransactionalDBClient,
    TransactionContext,
)
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.exceptions import TransactionManagementError

from workflows.db.errors import DatabaseRefused, sqlite_read_only, sqlite_refused


class ImmediateSqliteClient(SqliteClient):
    # SQLite opens a file it may not write read-only, silently, and such a connection never
    # writes again, even once an operator fixed the file: it is opened again then.
    reopen_when_writable = False

    def _writable(self) -> bool:
        return self.filename == ":memory:" or os.access(self.filename, os.W_OK)

    async def create_connection(self, with_db: bool) -> None:
        try:
            await super().create_connection(with_db)
        except sqlite3.Error as exc:
            # Open, but without its pragmas (foreign keys among them): not a connection to keep.
            with contextlib.suppress(sqlite3.Error, ValueError):
                await self.close()
            self._connection = None
            if sqlite_refused(exc):
                raise DatabaseRefused(exc) from exc
            raise
        self.reopen_when_writable = not self._writable()

    async def refresh(self) -> None:
        """With the lock held: a connection, opened again if it could not write and now can."""
        if self._connection is not None and self.reopen_when_writable and self._writable():
            with contextlib.suppress(sqlite3.Error, ValueError):
                await self.close()
            self._connection = None
        if self._connection is None:
            await self.create_connection(with_db=True)

    def note_failure(self, error: BaseException | None) -> None:
        if error is not None and sqlite_read_only(error):
            self.reopen_when_writable = True

    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return WatchedConnection(self._lock, self, self)

    def _in_transaction(self) -> TransactionContext:
        return GuardedTransactionContext(ImmediateTransactionWrapper(self), self._lock)


class WatchedConnection(ConnectionWrapper[Any]):
    """Tortoise's wrapper took the client's connection before waiting for the lock, so it could
    use one closed meanwhile; this one takes it after, and notes a refusal to write."""

    def __init__(self, lock: Any, client: SqliteClient, parent: ImmediateSqliteClient) -> None:
        super().__init__(lock, client)
        self.parent = parent

    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            if self.client is self.parent:  # a transaction keeps the connection it began on
                await self.parent.refresh()
            self.connection = self.client._connection
        except BaseException:
            self._lock.release()
            raise
        return self.connection

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        self.parent.note_failure(exc_val)
        self._lock.release()


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    _parent: ImmediateSqliteClient

    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return WatchedConnection(self._lock, self, self._parent)

    async def begin(self) -> None:
        try:
            if self._connection.in_transaction:
                # Only a COMMIT that failed left one open: committing it now would store what
                # its request was told was not stored.
                await self._connection.rollback()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if sqlite_refused(exc):  # still locked after the busy timeout, a full disk, …
                raise DatabaseRefused(exc) from exc
            raise TransactionManagementError(exc) from exc

    async def commit(self) -> None:
        if self._finalized:
            raise TransactionManagementError("Transaction already finalised")
        try:
            await self._connection.commit()
        except sqlite3.Error as exc:
            # SQLite rolls back by itself after some failures (a full disk, an I/O error) and
            # not after others; either way nothing of this transaction may stay.
            with contextlib.suppress(sqlite3.Error):
                await self._connection.rollback()
            self._finalized = True
            self._parent.note_failure(exc)
            if sqlite_refused(exc):
                raise DatabaseRefused(exc) from exc
            raise
        self._finalized = True


class GuardedTransactionContext(SqliteTransactionContext):
    """Tortoise's context takes the connection's lock and points the task at the transaction
    before BEGIN; when BEGIN fails, __aexit__ never runs, so the lock stayed taken and every
    later transaction of the worker waited for ever. Here a failed BEGIN undoes both."""

    async def ensure_connection(self) -> None:
        parent: ImmediateSqliteClient = self.connection._parent
        await parent.refresh()
        # The wrapper was made before the lock was taken: it begins on the connection open now.
        self.connection._connection = parent._connection

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


client_class = ImmediateSqliteClient
