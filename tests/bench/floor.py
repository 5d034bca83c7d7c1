"""The floor of storing Intake's own rows: a bare Starlette endpoint that parses the body as
tests/bench/bare_durable.py does (a file written and fsync'd), then stores what an Intake
filing stores — the limiter's count, the case's row with all its columns and indexes, its
audit events numbered as Intake numbers them, the mail they queue — in one transaction, with
fixed SQL and values made once: no model, no check, no routing, no rendering. The rows are
copies of the latest filing in Intake's database (`BENCH_FLOOR_TEMPLATE_URL`, read at the first
request), with a new tracking code, new event numbers and new mail keys each time.

What bare durable writes is three small rows; what Intake must write is these. The floor's
rate is the most any Python on top of this schema can reach, whatever it saves: the ratio
floor ÷ durable bounds intake ÷ durable.

Served by uvicorn as `intake serve` is: `BENCH_FLOOR_URL=<a migrated empty database>
BENCH_FLOOR_TEMPLATE_URL=<Intake's> python -m uvicorn tests.bench.floor:app`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from tests.bench.bare_durable import _facts
from workflows.access.limits import Allowance, spend
from workflows.audit.numbering import next_seqs
from workflows.db.config import tortoise_config

URL = os.environ.get("BENCH_FLOOR_URL", "")
TEMPLATE_URL = os.environ.get("BENCH_FLOOR_TEMPLATE_URL", "")
# Counted as Intake counts a report, never refused.
COUNTING = Allowance("floor", 10**9, "")


@dataclass(frozen=True)
class RowsCopy:
    """The template filing's rows of one table, and the one INSERT that stores them again with
    a few columns changed (Intake, too, writes a filing's events in one statement)."""

    rows: list[dict[str, Any]]
    statement: str

    @classmethod
    def of(cls, table: str, rows: list[dict[str, Any]], dialect: str) -> RowsCopy:
        width, count = len(rows[0]), len(rows[0]) * len(rows)
        marks = ["?"] * count if dialect == "sqlite" else [f"${n}" for n in range(1, count + 1)]
        groups = ", ".join(f"({', '.join(marks[at:at + width])})" for at in range(0, count, width))
        columns = ", ".join(f'"{column}"' for column in rows[0])
        return cls(rows, f'INSERT INTO "{table}" ({columns}) VALUES {groups} RETURNING id')

    async def insert(self, connection: BaseDBAsyncClient,
                     changes: list[dict[str, Any]]) -> list[int]:
        values = [changed.get(column, value)
                  for row, changed in zip(self.rows, changes, strict=True)
                  for column, value in row.items()]
        return [int(row["id"]) for row in await connection.execute_query_dict(self.statement,
                                                                             values)]


@dataclass(frozen=True)
class Template:
    case: RowsCopy
    events: RowsCopy
    mails: RowsCopy | None  # none when the case went to triage


async def _rows(connection: BaseDBAsyncClient, query: str) -> list[dict[str, Any]]:
    _, rows = await connection.execute_query(query)
    return [{key: value for key, value in dict(row).items() if key != "id"} for row in rows]


async def read_template() -> Template:
    """The latest filing's case, events and mail in Intake's database."""
    source = connections.get("template")
    _, [latest] = await source.execute_query('SELECT * FROM "case" ORDER BY id DESC LIMIT 1')
    case = dict(latest)
    case_id = int(case.pop("id"))
    events = await _rows(source, f"SELECT * FROM audit_event WHERE case_id = {case_id} "
                                 "ORDER BY id")
    mails = await _rows(source, f"SELECT * FROM outbox_message WHERE case_id = {case_id} "
                                "ORDER BY id")
    dialect = connections.get("default").capabilities.dialect
    return Template(RowsCopy.of("case", [case], dialect),
                    RowsCopy.of("audit_event", events, dialect),
                    RowsCopy.of("outbox_message", mails, dialect) if mails else None)


async def store(template: Template, address: str) -> None:
    await spend(COUNTING, address)
    code_length = len(template.case.rows[0]["tracking_code"])
    async with in_transaction("default") as connection:
        [case_id] = await template.case.insert(connection, [
            {"tracking_code": secrets.token_hex(code_length)[:code_length]}])
        seqs = await next_seqs(connection, len(template.events.rows))
        await template.events.insert(connection, [{"seq": seq, "case_id": case_id}
                                                  for seq in seqs])
        if template.mails is not None:
            await template.mails.insert(connection, [
                {"case_id": case_id, "event_key": f"floor:{seqs[0]}:{number}"}
                for number in range(len(template.mails.rows))])


state: dict[str, Template] = {}


async def parse_and_store(request: Request) -> Response:
    _, received = await _facts(request)
    if "template" not in state:
        state["template"] = await read_template()
    await store(state["template"], request.client.host if request.client else "")
    return JSONResponse({"received": received}, status_code=201)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    config = tortoise_config(URL)
    config["connections"]["template"] = tortoise_config(TEMPLATE_URL)["connections"]["default"]
    await Tortoise.init(config=config, _enable_global_fallback=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()


app = Starlette(routes=[Route("/{path:path}", parse_and_store, methods=["POST"])],
                lifespan=lifespan)
