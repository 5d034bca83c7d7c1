"""Where a filing's CPU goes: Open311 filings (urlencoded, the limiter counting) sent straight
into the ASGI app in this process — no client, no socket — first timed, then profiled. Prints
the CPU per filing, each step's share of the profiled time, and on SQLite the database
engine's own CPU per filing (the time of the thread that runs the statements, which the
profile does not see; PostgreSQL's is in its server's processes).

The shares are of this thread's CPU as cProfile sees it, which slows Python code more than C
code: read them as where to look, and the unprofiled CPU per filing as the figure."""

from __future__ import annotations

import cProfile
import dataclasses
import pstats
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import aiosqlite.core
from starlette.types import ASGIApp, Message
from tortoise.backends.base.executor import EXECUTOR_CACHE

from intake.app import create_app
from tests.bench.common import Figure, Results, bench_settings, drop_database, fresh_database
from tests.intake.api.test_open311 import API_REPORT

COUNTING = 10**9  # the limiter counts every filing and refuses none
PATH = "/open311/v2/requests.json"
# A step: its name, and the functions whose profiled time it is — (file ending, function),
# optionally only as called from (file ending, function).
STEPS: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, str] | None], ...] = (
    ("the limiter", (("workflows/cases/filing.py", "_charge"),), None),
    ("validation and routing", (("workflows/cases/filing.py", "check"),
                                ("intake/api/fields.py", "report_fields")), None),
    ("the case's row (the ORM's INSERT)", (("tortoise/models.py", "create"),),
     ("workflows/cases/filing.py", "_record_once")),
    ("the audit events", (("workflows/audit/log.py", "append_events"),), None),
    ("the agency alert (rendered, queued)", (("workflows/mail/notifications.py", "__call__"),),
     None),
    ("the brand owners looked up", (("workflows/parties/brand_asking.py", "__call__"),), None),
    ("the public update feed", (("workflows/cases/updates.py", "record_public_update"),), None),
    ("the request read (form parsing)", (("intake/formdata.py", "read_form"),), None),
    ("the answer written (JSON)", (("intake/api/answers.py", "answer"),), None),
)
REST = "the rest (Starlette, middleware, the caller, sending)"
# Steps inside the recording of a filing: what is left of it is its own work (the tracking
# code, the deadlines, the transaction's BEGIN and COMMIT).
RECORDING = (("workflows/cases/filing.py", "record_report"),)
INSIDE_RECORDING = ("the case's row (the ORM's INSERT)", "the audit events",
                    "the agency alert (rendered, queued)", "the brand owners looked up",
                    "the public update feed")


class EngineClock:
    """The CPU time of the statements aiosqlite runs in its thread."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = aiosqlite.core.Connection._execute

    def __enter__(self) -> EngineClock:
        original, clock = self._original, self

        async def timed(connection: Any, function: Callable[..., Any], *args: Any,
                        **kwargs: Any) -> Any:
            def run() -> Any:
                started = time.thread_time()
                try:
                    return function(*args, **kwargs)
                finally:
                    clock.seconds += time.thread_time() - started
            return await original(connection, run)

        aiosqlite.core.Connection._execute = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        aiosqlite.core.Connection._execute = self._original  # type: ignore[method-assign]


async def _file(app: ASGIApp, body: bytes) -> int:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": PATH, "raw_path": PATH.encode(), "query_string": b"",
             "root_path": "", "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"content-length", str(len(body)).encode()),
                         (b"content-type", b"application/x-www-form-urlencoded")]}
    sent: list[Message] = []
    received = False

    async def receive() -> Message:
        nonlocal received
        if received:
            return {"type": "http.disconnect"}
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


def _step_seconds(stats: pstats.Stats, functions: tuple[tuple[str, str], ...],
                  caller: tuple[str, str] | None) -> float:
    total = 0.0
    for (path, _, name), (_, _, _, cumulative, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if not any(path.endswith(end) and name == wanted for end, wanted in functions):
            continue
        if caller is None:
            total += cumulative
        else:
            total += sum(figures[3] for (from_path, _, from_name), figures in callers.items()
                         if from_path.endswith(caller[0]) and from_name == caller[1])
    return total


async def steps_part(kind: str, filings: int, results: Results) -> None:
    url = await fresh_database(kind, "steps")
    settings = dataclasses.replace(bench_settings(url), report_rate_limit=COUNTING,
                                   api_client_rate_limit=COUNTING)
    body = urlencode(API_REPORT).encode()
    EXECUTOR_CACHE.clear()  # statements are cached per connection name, in a dialect
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            for _ in range(100):  # warm: templates compiled, statements prepared
                assert await _file(app, body) == 201
            with EngineClock() as engine:
                started = time.process_time()
                for _ in range(filings):
                    await _file(app, body)
                cpu = time.process_time() - started
            profile = cProfile.Profile(time.thread_time)  # this thread's CPU: no waits
            profile.enable()
            for _ in range(filings):
                await _file(app, body)
            profile.disable()
    finally:
        await drop_database(url)
    results.add(Figure("steps", kind, "CPU per filing, in-process (no client)",
                       cpu * 1000 / filings, "ms", goal="≤ 1.5", met=cpu * 1000 / filings <= 1.5))
    if kind == "sqlite":
        results.add(Figure("steps", kind, "of which SQLite's own work (its thread)",
                           engine.seconds * 1000 / filings, "ms"))
    stats = pstats.Stats(profile)
    profiled = stats.total_tt  # type: ignore[attr-defined]
    shares = {name: _step_seconds(stats, functions, caller) / profiled
              for name, functions, caller in STEPS}
    recording = _step_seconds(stats, RECORDING, None) / profiled
    shares["the rest of recording (codes, deadlines, BEGIN, COMMIT)"] = recording - sum(
        shares[name] for name in INSIDE_RECORDING)
    for name, share in shares.items():
        results.add(Figure("steps", kind, f"share: {name}", share * 100, "%"))
    results.add(Figure("steps", kind, f"share: {REST}", (1 - sum(shares.values())) * 100, "%"))
