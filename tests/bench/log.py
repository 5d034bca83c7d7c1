"""The audit log: how many events a second the sequencer integrates (goal ≥ 1,000), and
whether filing still serialises on the log — reports a second through Open311 with two uvicorn
workers against one (goal: two file more than one; PostgreSQL, where writers do not share a
write lock)."""

from __future__ import annotations

import time

from tortoise.transactions import in_transaction

from tests.bench.common import (
    Figure,
    Results,
    bench_settings,
    connected,
    drop_database,
    fresh_database,
)
from tests.bench.throughput import multipart, serving, wrk
from tests.intake.api.test_open311 import API_REPORT
from tests.live import INTAKE, free_port
from workflows.audit.log import Actor, append_event
from workflows.audit.notes import Signer
from workflows.audit.sequencer import run_sequencer

SEQUENCER_GOAL = 1000.0  # events a second
EVENTS_PER_TRANSACTION = 500


async def _write_events(count: int) -> None:
    for start in range(0, count, EVENTS_PER_TRANSACTION):
        async with in_transaction() as connection:
            for n in range(start, min(count, start + EVENTS_PER_TRANSACTION)):
                await append_event(connection, case=None, actor=Actor.system(), action="bench",
                                   after={"n": n, "text": "một sự kiện để đo"})


async def sequencer_part(kind: str, events: int, results: Results) -> None:
    url = await fresh_database(kind, "log")
    try:
        async with connected(url):
            await _write_events(events)
            signer = Signer.generate("bench/audit")
            started = time.perf_counter()
            run = await run_sequencer(signer, force=True, wait=True)
            seconds = time.perf_counter() - started
        assert run is not None and run.size == events
        rate = events / seconds
        results.add(Figure("log", kind, f"sequencer: {events:,} events integrated, signed",
                           rate, "events/s", goal=f"≥ {SEQUENCER_GOAL:,.0f}",
                           met=rate >= SEQUENCER_GOAL))
    finally:
        await drop_database(url)


async def workers_part(kind: str, connections: int, seconds: int, results: Results) -> None:
    rates = {}
    for workers in (1, 2):
        url = await fresh_database(kind, f"log_workers_{workers}")
        settings = bench_settings(url)
        env = {"INTAKE_DATABASE_URL": url, "INTAKE_DATA_DIR": str(settings.data_dir),
               "INTAKE_SECRET_KEY": settings.secret_key, "INTAKE_RATE_LIMIT": "0"}
        port = free_port()
        body, content_type = multipart(dict(API_REPORT), "media", None)
        try:
            with serving([*INTAKE, "serve", "--port", str(port), "--workers", str(workers)],
                         port, env) as served:
                measured = wrk(f"{served.base}/open311/v2/requests.json", body,
                               {"Content-Type": content_type}, connections, seconds)
        finally:
            await drop_database(url)
        if measured["errors"]:
            raise SystemExit(f"{workers} workers answered {measured['errors']} errors")
        rates[workers] = measured["requests"] / measured["seconds"]
        results.add(Figure("log", kind, f"Open311 filing, {workers} worker(s)", rates[workers],
                           "req/s", note=f"p95 {measured['p95'] / 1000:.1f} ms"))
    ratio = rates[2] / rates[1]
    results.add(Figure("log", kind, "filing: 2 workers / 1 worker", ratio, "×", goal="> 1",
                       met=ratio > 1))
