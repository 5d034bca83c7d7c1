"""The database errors that mean "refused or lost the work, try again": a 503, never a 500."""

from __future__ import annotations

import errno
import sqlite3

import asyncpg
from tortoise.exceptions import DBConnectionError, OperationalError


class DatabaseRefused(OperationalError):
    """The database refused the work for now: locked past the timeout, its disk full, its file
    or file system read-only, a read or write failed, or the server takes no writes (a hot
    standby, default_transaction_read_only). workflows.db's clients raise it in place of the
    driver's error, which Tortoise passes on raw (a failed COMMIT) or takes for a bug
    (TransactionManagementError)."""


# The database refused or lost the work. Tortoise wraps some of these; asyncpg raises the rest
# itself when the pool opens a new connection (server down, restarting, database closed to
# connections, too many clients) or finds its connection cut, or when the server's disk is full
# (DiskFullError: "could not extend file", "No space left on device") or failed (58030).
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    OperationalError, DBConnectionError, ConnectionError, TimeoutError,
    asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.InternalClientError,
    asyncpg.exceptions.OperatorInterventionError, asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.ObjectNotInPrerequisiteStateError, asyncpg.exceptions.PostgresIOError,
)

# The server's own refusals, whose messages hold no values of the statement.
_PG_REFUSALS = (asyncpg.ReadOnlySQLTransactionError, asyncpg.exceptions.DiskFullError,
                asyncpg.exceptions.PostgresIOError)

# SQLite's primary result codes that blame the file or its disk, not the statement: locked or
# busy past the timeout, read-only, an I/O error, full, cannot be opened, a WAL lock protocol
# failure. Anything else (a syntax error, a missing table) is a bug.
_SQLITE_REFUSALS = frozenset({
    sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL,
})


def _primary_code(error: BaseException) -> int | None:
    # Only errors SQLite itself returned carry a code; the module's own ("Cannot operate on a
    # closed database") do not.
    code = getattr(error, "sqlite_errorcode", None) if isinstance(error, sqlite3.Error) else None
    return code & 0xFF if isinstance(code, int) else None


def sqlite_refused(error: BaseException) -> bool:
    """Whether SQLite's error says the file refused the work (try again later)."""
    return _primary_code(error) in _SQLITE_REFUSALS


def sqlite_read_only(error: BaseException) -> bool:
    """Whether SQLite refused to write through a connection that opened the file read-only
    (or whose file was replaced under it): only a new connection can write again."""
    return _primary_code(error) == sqlite3.SQLITE_READONLY


def what_refused(refused: BaseException) -> str:
    """What refused, for the operator's log: a disk's errno, or the driver's words when they
    blame the disk, the file or the server. Never the message of another error, which may
    quote what a reporter typed."""
    if isinstance(refused, OSError) and refused.errno is not None:
        return f"{errno.errorcode.get(refused.errno, refused.errno)} {refused.strerror}"
    for driver in (refused, refused.__cause__, refused.__context__):
        if driver is not None and (sqlite_refused(driver) or isinstance(driver, _PG_REFUSALS)):
            return f"{type(driver).__name__}: {driver}"
    return type(refused).__name__
