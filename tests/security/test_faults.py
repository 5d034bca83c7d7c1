"""Faults: a server killed with SIGKILL in the middle of a burst of submissions leaves every
acknowledged report stored whole, no case without its files or its audit event, no attachment
row without its file, and an audit chain that still verifies (the files it left half-filed are
swept); a SQLite database locked by another writer makes a report wait, or, locked too long,
gets a clear 503 with nothing stored; a full disk and a lost PostgreSQL connection give a clear
503 that keeps the form, store nothing, and pass without a restart once the fault is gone."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette

from intake.settings import Settings
from tests.conftest import POSTGRES_URL, browser, running_app
from tests.helpers import VALID_REPORT, csrf_token, jpeg_with_gps, post_report
from tests.intake.api.test_open311 import API_REPORT
from tests.live import free_port, run_intake, start_server
from tests.security.mounts import fill, tmpfs
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case, CaseMessage


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
        rows = set(await Attachment.all().values_list("storage_name", flat=True))
    orphans = {path.name for path in attachments_dir.rglob("*.*")} - rows

    swept = run_intake("attachments", "sweep", "--min-age-minutes", "0",
                       env={"INTAKE_DATABASE_URL": settings.database_url,
                            "INTAKE_DATA_DIR": str(settings.data_dir)})
    assert swept.returncode == 0, swept.stderr
    assert f"Removed {len(orphans):,} attachment files" in swept.stdout
    assert {path.name for path in attachments_dir.rglob("*.*")} == rows


@asynccontextmanager
async def app_on_sqlite(sqlite_template: Path, tmp_path: Path, config_dir: Path,
                        pragmas: str = "") -> AsyncIterator[tuple[Starlette, Path]]:
    path = tmp_path / "locked.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite://{path}{pragmas}",
                        secret_key="test-secret-key", base_url="http://testserver",
                        config_dir=config_dir)
    async with running_app(settings) as app:
        yield app, path


@pytest.fixture
async def sqlite_app(sqlite_template: Path, tmp_path: Path, config_dir: Path):
    """SQLite only: the lock below is SQLite's own."""
    async with app_on_sqlite(sqlite_template, tmp_path, config_dir) as made:
        yield made


@pytest.fixture
async def impatient_sqlite_app(sqlite_template: Path, tmp_path: Path, config_dir: Path):
    """Gives up on a locked database after half a second rather than five."""
    async with app_on_sqlite(sqlite_template, tmp_path, config_dir, "?busy_timeout=500") as made:
        yield made


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
        response = await post_report(client, {**VALID_REPORT, "brand": "Bia Sài Gòn"})
        holder.join()
        assert response.status_code == 503 and response.headers["retry-after"] == "30"
        assert "Chưa có gì được lưu" in response.text and 'value="Bia Sài Gòn"' in response.text
        assert not await Case.exists()
        assert not list((app.state.intake.settings.data_dir / "attachments").rglob("*.*"))


@pytest.fixture
def full_disk(settings: Settings) -> Iterator[Path]:
    """The attachments folder on a 256 KiB tmpfs filled to the last byte: a real ENOSPC."""
    with tmpfs(settings.attachments_dir, "256k") as folder:
        fill(folder)
        yield folder


async def test_a_full_disk_keeps_the_form_stores_nothing_and_passes_once_freed(settings,
                                                                              full_disk):
    photo = [("tem.jpg", jpeg_with_gps(), "image/jpeg")]
    async with running_app(settings) as app, browser(app) as client:
        response = await post_report(client, {**VALID_REPORT, "brand": "Sữa Ông Thọ"}, photo)
        assert response.status_code == 503 and response.headers["retry-after"] == "30"
        assert "Nothing was stored" not in response.text  # Vietnamese first
        assert "Chưa có gì được lưu" in response.text
        assert 'value="Sữa Ông Thọ"' in response.text  # the form keeps what was typed
        api = await client.post("/open311/v2/requests.json", data=API_REPORT,
                                files=[("media", photo[0])])
        assert api.status_code == 503
        assert not await Case.exists()
        assert [path.name for path in full_disk.rglob("*") if path.is_file()] == ["filler"]

        (full_disk / "filler").unlink()  # an operator frees space; no restart
        assert (await post_report(client, files=photo)).status_code == 303
        assert await Case.filter().count() == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_lost_postgresql_connection_is_a_503_then_serving_resumes_unrestarted(settings):
    name = settings.database_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_URL)
    async with running_app(settings) as app, browser(app) as client:
        assert (await post_report(client)).status_code == 303
        # The server drops every connection and takes no new ones (a restart or failover).
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = $1", name)
        during = await post_report(client, {**VALID_REPORT, "brand": "Vinamilk"})
        assert during.status_code == 503
        assert "Chưa có gì được lưu" in during.text and 'value="Vinamilk"' in during.text
        api = await client.post("/open311/v2/requests.json", data=API_REPORT)
        assert api.status_code == 503 and api.headers["retry-after"] == "30"
        assert (await client.get("/healthz")).status_code == 503

        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert (await client.get("/healthz")).status_code == 200
        assert (await post_report(client)).status_code == 303
        assert (await client.post("/open311/v2/requests.json", data=API_REPORT)).status_code == 201
        assert await Case.filter().count() == 3
    await admin.close()


async def test_a_database_that_refuses_answers_the_same_on_every_entry_point(
        impatient_sqlite_app):
    """Web form, Open311, the officers' form and the reporter's follow-up all go through one
    filing service: a database locked too long is a 503 "nothing was stored" on each, the
    forms keep what was typed, the API answers JSON, and nothing is stored."""
    from tests.intake.conftest import ACCOUNTS, PASSWORD, sign_in
    from tests.intake.public.test_pages import file_and_read_receipt
    from workflows.access.accounts import create_user

    app, path = impatient_sqlite_app
    async with browser(app) as citizen, browser(app) as officer, browser(app) as reporter:
        email, role, _ = ACCOUNTS["officer"]
        await create_user(email, PASSWORD, role, None, set())
        await sign_in(officer, "officer")
        code, pin, _ = await file_and_read_receipt(reporter)
        token = await csrf_token(reporter, "/track")
        opened = await reporter.post("/track/access",
                                     data={"code": code, "pin": pin, "csrf_token": token})
        assert opened.status_code == 303
        tokens = {"web": await csrf_token(citizen), "staff": await csrf_token(officer,
                                                                              "/staff/cases/new"),
                  "reporter": await csrf_token(reporter, f"/track/{code}/reporter")}
        before = await Case.all().count()
        no_file = [("photos", ("", b"", "application/octet-stream"))]
        holder = hold_write_lock(path, 5.0)
        # A lock left taken by a failed BEGIN would make these wait for ever: fail instead.
        web, api, staff, followup = await asyncio.wait_for(asyncio.gather(
            citizen.post("/report", data={**VALID_REPORT, "brand": "Bia Sài Gòn", "join_case": "new",
                                          "csrf_token": tokens["web"]}, files=no_file),
            citizen.post("/open311/v2/requests.json", data=API_REPORT),
            officer.post("/staff/cases/new", data={**VALID_REPORT, "brand": "Bia Hà Nội",
                                                   "intake_channel": "hotline",
                                                   "csrf_token": tokens["staff"]},
                         files=no_file),
            reporter.post(f"/track/{code}/reporter",
                          data={"body": "Thêm một chai nữa.", "csrf_token": tokens["reporter"]})),
            timeout=60)
        holder.join()
    for page, typed in ((web, "Bia Sài Gòn"), (staff, "Bia Hà Nội"),
                        (followup, "Thêm một chai nữa.")):
        assert page.status_code == 503, page.text[:500]
        assert "Chưa có gì được lưu" in page.text and typed in page.text
    assert api.status_code == 503 and api.headers["retry-after"] == "30"
    assert api.json() == [{"code": 503, "description":
                           "request: Hiện chưa lưu được phản ánh của bạn. Chưa có gì được lưu. "
                           "Vui lòng thử lại sau vài phút."}]
    assert await Case.all().count() == before
    assert not await CaseMessage.exists()

