"""What every benchmark part shares: databases filled once with demo cases, percentiles, and
the figures table."""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from intake.settings import Settings
from workflows.cases.demo import DemoOptions, insert_demo_cases
from workflows.cases.models import Case
from workflows.db.config import apply_migrations, tortoise_config
from workflows.reference.loading import DEFAULT_CONFIG_DIR, load_reference

BENCH_DIR = Path(os.environ.get("INTAKE_BENCH_DIR", "data/bench")).resolve()
POSTGRES_URL = os.environ.get("INTAKE_TEST_POSTGRES_URL", "")


@dataclass
class Figure:
    part: str
    database: str
    name: str
    value: float
    unit: str
    goal: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)
    plans: dict[str, str] = field(default_factory=dict)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        mark = "" if figure.met is None else (" ✓" if figure.met else " ✗ goal missed")
        print(f"  {figure.database:9} {figure.name:44} {figure.value:12,.2f} {figure.unit:8}"
              f" {figure.goal}{mark}", flush=True)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def p50_p95(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 0.95)


async def timed(call: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    """Milliseconds per call, after one warm-up call."""
    await call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def database_url(kind: str, cases: int) -> str:
    """One database per kind and size, kept between runs: filling it is the slow part."""
    if kind == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite://{BENCH_DIR / f'cases_{cases}.sqlite3'}?synchronous=NORMAL"
    if not POSTGRES_URL:
        raise SystemExit("Set INTAKE_TEST_POSTGRES_URL to benchmark PostgreSQL.")
    parts = urlsplit(POSTGRES_URL)
    return urlunsplit(parts._replace(path=f"/intake_bench_{cases}"))


async def _create_postgres_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def bench_settings(url: str) -> Settings:
    return Settings(data_dir=BENCH_DIR / "data", database_url=url,
                    secret_key="benchmark-secret-key", base_url="http://bench",
                    config_dir=DEFAULT_CONFIG_DIR)


@asynccontextmanager
async def connected(url: str) -> AsyncIterator[None]:
    EXECUTOR_CACHE.clear()  # prepared statements are cached per connection name
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def filled_database(kind: str, cases: int) -> str:
    """The URL of a migrated database holding exactly `cases` demo cases."""
    url = database_url(kind, cases)
    if kind == "postgres":
        await _create_postgres_database(url)
    await apply_migrations(url)
    async with connected(url):
        have = await Case.all().count()
        if have == cases:
            # Planner statistics as a database in service has them (autovacuum, ANALYZE after an
            # upgrade): a migration may just have added an index they do not yet know.
            await Tortoise.get_connection("default").execute_script(
                "VACUUM ANALYZE" if kind == "postgres" else "ANALYZE")
            return url
        if have:
            raise SystemExit(f"{url} holds {have:,} cases, not {cases:,}: delete it first.")
        print(f"  filling {kind} with {cases:,} demo cases (kept for the next run)…", flush=True)
        started = time.perf_counter()
        await insert_demo_cases(load_reference(DEFAULT_CONFIG_DIR), DemoOptions(cases))
        await Tortoise.get_connection("default").execute_script("ANALYZE")
        print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
    return url


async def fresh_database(kind: str, purpose: str) -> str:
    """An empty, migrated database for a part that writes (throughput, outbox)."""
    if kind == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        for leftover in BENCH_DIR.glob(f"{purpose}.sqlite3*"):
            leftover.unlink()
        url = f"sqlite://{BENCH_DIR / f'{purpose}.sqlite3'}?synchronous=NORMAL"  # as served
    else:
        if not POSTGRES_URL:
            raise SystemExit("Set INTAKE_TEST_POSTGRES_URL to benchmark PostgreSQL.")
        url = urlunsplit(urlsplit(POSTGRES_URL)._replace(
            path=f"/intake_bench_{purpose}_{uuid.uuid4().hex[:6]}"))
        await _create_postgres_database(url)
    await apply_migrations(url)
    return url


async def drop_database(url: str) -> None:
    if url.startswith("postgres"):
        admin = await asyncpg.connect(POSTGRES_URL)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" '
                                "WITH (FORCE)")
        finally:
            await admin.close()
