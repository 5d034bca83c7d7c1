"""The database errors that mean "refused or lost the work, try again": a 503, never a 500."""

from __future__ import annotations

import asyncpg
from tortoise.exceptions import DBConnectionError, OperationalError

# The database refused or lost the work. Tortoise wraps some of these; asyncpg raises the rest
# itself when the pool opens a new connection (server down, restarting, database closed to
# connections, too many clients) or finds its connection cut.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    OperationalError, DBConnectionError, ConnectionError, TimeoutError,
    asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.InternalClientError,
    asyncpg.exceptions.OperatorInterventionError, asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.ObjectNotInPrerequisiteStateError,
)
