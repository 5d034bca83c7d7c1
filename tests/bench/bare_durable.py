"""The floor of durable intake on this stack: a bare Starlette endpoint that parses the same
body as Intake (urlencoded or multipart, every file read to the end) and stores what a filing
must keep — the case's facts, one audit row and one outbox row — in one transaction with the
raw driver (aiosqlite or asyncpg, fixed SQL, no ORM), then answers 201. A file in the body is
written to disk and fsync'd first, as Intake's evidence store does. What Intake does on
top of it (checks, routing, deadlines, files, mail) is what the ratio measures.

Served by uvicorn as `intake serve` is: `BENCH_DURABLE_URL=sqlite:///path python -m uvicorn
tests.bench.bare_durable:app` (or a postgres:// URL).
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
import asyncpg
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

URL = os.environ.get("BENCH_DURABLE_URL", "sqlite:///tmp/bench-durable.sqlite3")
TABLES = (
    "CREATE TABLE IF NOT EXISTS durable_case (id {serial} PRIMARY KEY, tracking_code TEXT "
    "NOT NULL UNIQUE, facts TEXT NOT NULL, received_bytes INTEGER NOT NULL, created_at "
    "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS durable_audit (id {serial} PRIMARY KEY, case_id INTEGER NOT "
    "NULL, action TEXT NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS durable_outbox (id {serial} PRIMARY KEY, case_id INTEGER NOT "
    "NULL, recipient TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending')",
)
FILES = os.environ.get("BENCH_DURABLE_FILES") or tempfile.mkdtemp(prefix="bench-durable-")
state: dict[str, Any] = {}


def _keep(content: bytes) -> None:
    """Write an uploaded file where nothing else is, and wait until the disk has it."""
    path = os.path.join(FILES, secrets.token_hex(12))
    with open(path, "xb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


async def _facts(request: Request) -> tuple[dict[str, str], int]:
    facts: dict[str, str] = {}
    received = 0
    async with request.form(max_files=10, max_fields=100) as form:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                received += len(content)
                if content:
                    _keep(content)
            else:
                facts[name] = value
                received += len(value)
    return facts, received


async def _store_sqlite(facts: str, received: int) -> None:
    connection: aiosqlite.Connection = state["sqlite"]
    async with state["lock"]:  # one connection, as Tortoise has: one transaction at a time
        await connection.execute("BEGIN IMMEDIATE")
        try:
            cursor = await connection.execute(
                "INSERT INTO durable_case (tracking_code, facts, received_bytes) "
                "VALUES (?, ?, ?)", (secrets.token_hex(8), facts, received))
            case_id = cursor.lastrowid
            await connection.execute(
                "INSERT INTO durable_audit (case_id, action) VALUES (?, 'created')", (case_id,))
            await connection.execute(
                "INSERT INTO durable_outbox (case_id, recipient) VALUES (?, 'agency@example.org')",
                (case_id,))
            await connection.commit()
        except BaseException:
            await connection.rollback()
            raise


async def _store_postgres(facts: str, received: int) -> None:
    pool: asyncpg.Pool = state["pool"]
    async with pool.acquire() as connection, connection.transaction():
        case_id = await connection.fetchval(
            "INSERT INTO durable_case (tracking_code, facts, received_bytes) "
            "VALUES ($1, $2, $3) RETURNING id", secrets.token_hex(8), facts, received)
        await connection.execute(
            "INSERT INTO durable_audit (case_id, action) VALUES ($1, 'created')", case_id)
        await connection.execute(
            "INSERT INTO durable_outbox (case_id, recipient) VALUES ($1, 'agency@example.org')",
            case_id)


async def parse_and_store(request: Request) -> Response:
    facts, received = await _facts(request)
    text = json.dumps(facts, ensure_ascii=False)
    if "pool" in state:
        await _store_postgres(text, received)
    else:
        await _store_sqlite(text, received)
    return JSONResponse({"received": received}, status_code=201)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    import asyncio

    if URL.startswith("postgres"):
        state["pool"] = await asyncpg.create_pool(URL.replace("postgres://", "postgresql://"),
                                                  min_size=1, max_size=5)
        async with state["pool"].acquire() as connection:
            for table in TABLES:
                await connection.execute(table.format(serial="SERIAL"))
    else:
        connection = await aiosqlite.connect(URL.removeprefix("sqlite://"), isolation_level=None)
        await connection.execute("PRAGMA journal_mode=WAL")  # as Tortoise opens Intake's
        await connection.execute("PRAGMA synchronous=NORMAL")  # as Intake's URL asks
        for table in TABLES:
            await connection.execute(table.format(serial="INTEGER"))
        state["sqlite"], state["lock"] = connection, asyncio.Lock()
    yield
    if "pool" in state:
        await state.pop("pool").close()
    else:
        await state.pop("sqlite").close()


app = Starlette(routes=[Route("/{path:path}", parse_and_store, methods=["POST"])],
                lifespan=lifespan)
