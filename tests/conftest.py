"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when configured),
the app with its real lifespan, and an httpx client over ASGITransport.

PostgreSQL: set INTAKE_TEST_POSTGRES_URL (an admin URL, e.g.
postgres://postgres:postgres@127.0.0.1:5432/postgres). Without it the PostgreSQL half of the
suite is skipped, loudly; with CI=true set, it fails instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette
from tortoise.backends.base.executor import EXECUTOR_CACHE

from intake.app import create_app
from intake.settings import Settings
from tests.smtp_server import SmtpServer
from workflows.db.config import apply_migrations
from workflows.mail.smtp import SmtpConfig
from workflows.reference.loading import DEFAULT_CONFIG_DIR

POSTGRES_URL = os.environ.get("INTAKE_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
NO_POSTGRES = "NO POSTGRESQL SERVER: set INTAKE_TEST_POSTGRES_URL to run these tests on PostgreSQL"


def _run_apart(work: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run set-up work on its own event loop: session fixtures are first asked for from
    inside a test's running loop."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, work()).result()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "intake.sqlite3"
    _run_apart(lambda: apply_migrations(f"sqlite://{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail(f"{NO_POSTGRES} (CI=true: nothing may be skipped)")
        pytest.skip(NO_POSTGRES)
    name = f"intake_template_{uuid.uuid4().hex[:12]}"

    async def create() -> None:
        await create_postgres_database(name)
        await apply_migrations(_with_database(POSTGRES_URL, name))

    _run_apart(create)
    yield name
    _run_apart(lambda: _drop_database(name))


async def create_postgres_database(name: str, template: str | None = None) -> str:
    """Create a database on the test server (a copy of `template` if given); return its URL."""
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        copy = f' TEMPLATE "{template}"' if template else ""
        await admin.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await admin.close()
    return _with_database(POSTGRES_URL, name)


async def _drop_database(name: str) -> None:
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A freshly migrated, empty database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "db" / "intake.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite://{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"intake_test_{uuid.uuid4().hex[:12]}"
    yield await create_postgres_database(name, template)
    await _drop_database(name)


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A copy of config/ that a test may edit."""
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, config_dir: Path) -> Settings:
    """No mail server: messages stay queued. Tests about mail use `mail_settings`. No mail on
    the wall clock either: a test run after 07:00 would otherwise find the day's digests and
    checkpoint mail queued beside its own; the tests of those queue them at a time they set."""
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        secret_key="test-secret-key-not-for-production",
        base_url="http://testserver",
        config_dir=config_dir,
        digest_hour=None,
    )


@pytest.fixture
def mail_settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return replace(
        settings,
        smtp=SmtpConfig(host="127.0.0.1", port=smtp_server.port, timeout_seconds=5,
                        mail_from="Intake Tỉnh <no-reply@intake.example.vn>"),
        outbox_poll_seconds=0.05,
        outbox_first_retry_seconds=0.01,
    )


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[Starlette]:
    """The app with its real lifespan: database, and the outbox sender when SMTP is set."""
    # Tortoise caches prepared INSERT statements per process, keyed by connection name only:
    # moving from a SQLite test to a PostgreSQL one would reuse SQLite's "?" placeholders.
    EXECUTOR_CACHE.clear()
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def browser(app: Starlette, **transport_options: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, **transport_options)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    async with running_app(settings) as application:
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with browser(app) as http:
        yield http


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} TESTS SKIPPED", red=True, bold=True)
        reasons = {str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
                   for report in skipped}
        for reason in sorted(reasons):
            terminalreporter.write_line(f"  {reason}", red=True, bold=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if IN_CI and session.testsfailed == 0 and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None and reporter.stats.get("skipped"):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
