"""Faults: a server killed with SIGKILL in the middle of a burst of submissions leaves every
acknowledged report stored whole, no case without its files or its audit event, no attachment
row without its file, and an audit chain that still verifies; a SQLite database locked by
another writer makes a report wait, or, locked too long, gets a clear 503 with nothing stored."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from intake.settings import Settings
from tests.conftest import browser, running_app
from tests.helpers import jpeg_with_gps, post_report
from tests.intake.test_open311 import API_REPORT
from tests.test_cli import INTAKE, free_port, run_intake
from workflows.models import Attachment, AuditEvent, Case


def start_server(settings, port: int) -> subprocess.Popen:
    env = {**os.environ, "INTAKE_DATABASE_URL": settings.database_url,
           "INTAKE_DATA_DIR": str(settings.data_dir), "INTAKE_SECRET_KEY": settings.secret_key,
           "INTAKE_RATE_LIMIT": "0"}
    server = subprocess.Popen([*INTAKE, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except httpx.TransportError:
            assert server.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.1)


async def test_a_server_killed_mid_burst_keeps_every_acknowledged_report_whole(settings):
    port = free_port()
    server = start_server(settings, port)
    photo = jpeg_with_gps()
    acknowledged: list[str] = []

    async def file_one(client: httpx.AsyncClient, number: int) -> None:
        try:
            response = await client.post(
                "/open311/v2/requests.json",
                data={**API_REPORT, "attribute[product_name]": f"Hàng số {number}"},
                files=[("media", ("tem.jpg", photo, "image/jpeg"))])
        except httpx.TransportError:
            return  # cut off by the kill: not acknowledged, may or may not be stored
        if response.status_code == 201:
            acknowledged.append(response.json()[0]["service_request_id"])

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        burst = asyncio.gather(*(file_one(client, n) for n in range(60)))
        while len(acknowledged) < 5:  # kill it once reports are flowing
            await asyncio.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)
        await burst
    server.wait()
    assert 5 <= len(acknowledged) < 60

    verified = run_intake("audit", "verify", env={"INTAKE_DATABASE_URL": settings.database_url,
                                                  "INTAKE_DATA_DIR": str(settings.data_dir)})
    assert verified.returncode == 0, verified.stderr
    async with running_app(settings):
        stored = {case.tracking_code: case for case in await Case.all()}
        assert set(acknowledged) <= set(stored)
        for case in stored.values():
            assert await Attachment.filter(case_id=case.id).count() == 1, case.tracking_code
            assert await AuditEvent.filter(case_id=case.id, action="created").exists()
        attachments_dir = Path(settings.data_dir) / "attachments"
        for attachment in await Attachment.all():
            assert any(attachments_dir.rglob(attachment.storage_name)), attachment.storage_name


@pytest.fixture
async def sqlite_app(sqlite_template: Path, tmp_path: Path, config_dir: Path):
    """SQLite only: the lock below is SQLite's own."""
    path = tmp_path / "locked.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite://{path}",
                        secret_key="test-secret-key", base_url="http://testserver",
                        config_dir=config_dir)
    async with running_app(settings) as app:
        yield app, path


def hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another process's writer, as a second worker or `intake demo` would be."""
    taken = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait()
    return thread


async def test_a_briefly_locked_sqlite_database_makes_a_report_wait_not_fail(sqlite_app):
    app, path = sqlite_app
    async with browser(app) as client:
        token_page = await client.get("/report")  # the CSRF cookie, before the lock
        assert token_page.status_code == 200
        holder = hold_write_lock(path, 1.0)
        response = await post_report(client)
        holder.join()
    assert response.status_code == 303


async def test_a_sqlite_database_locked_too_long_is_a_clear_503_and_stores_nothing(sqlite_app):
    app, path = sqlite_app
    async with browser(app) as client:
        await client.get("/report")
        holder = hold_write_lock(path, 7.0)
        response = await post_report(client)
        holder.join()
        assert response.status_code == 503 and response.headers["retry-after"] == "30"
        assert "phản ánh chưa được lưu" in response.text
        assert not await Case.exists()
        assert not list((app.state.intake.settings.data_dir / "attachments").rglob("*.*"))
