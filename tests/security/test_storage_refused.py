"""A disk or a database that refuses to store: the disk of the data folder filling up during
photo uploads (a real tmpfs), a SQLite database file that is read-only, a PostgreSQL server that
takes no writes (default_transaction_read_only, as on a hot standby). Each answers as an outage
does — 503 "nothing was stored" with Retry-After, the forms as typed and saying that files must
be chosen again, the API in JSON and in XML — stores nothing, half or whole, and the same
worker files again once the fault is gone."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette
from tortoise import connections

from intake.links import explanation_token
from intake.settings import Settings
from tests.conftest import POSTGRES_URL, browser, running_app
from tests.helpers import VALID_REPORT, csrf_token, jpeg_with_gps, post_report
from tests.intake.api.test_open311 import API_REPORT
from tests.intake.api.test_open311_formats import children, parse, text
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD, sign_in
from tests.intake.test_conversation import assigned_case, post, reporter_page, staff
from tests.intake.test_explanations import ask
from tests.security.mounts import fill, read_only, tmpfs
from workflows.access.accounts import create_user
from workflows.access.models import StaffSession
from workflows.access.sessions import SESSION_TOUCH_INTERVAL
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case, CaseMessage
from workflows.parties.models import ExplanationRequest

NOTHING_STORED = "Chưa có gì được lưu"
FILES_AGAIN = "không được giữ lại"  # "files are not kept: choose them again", on every form
API_REFUSAL = ("request: Hiện chưa lưu được phản ánh của bạn. Chưa có gì được lưu. "
               "Vui lòng thử lại sau vài phút.")
PHOTOS = [(f"tem-{number}.jpg", jpeg_with_gps(), "image/jpeg") for number in range(3)]


async def stored() -> dict[str, int]:
    return {"cases": await Case.all().count(), "attachments": await Attachment.all().count(),
            "events": await AuditEvent.all().count(), "messages": await CaseMessage.all().count(),
            "answers": await ExplanationRequest.filter(answered_at__isnull=False).count()}


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def refused(response: httpx.Response, typed: str) -> None:
    """A form that came back as an outage brings it back: 503, when to try again, the reason,
    what was typed, and that files must be chosen again."""
    assert response.status_code == 503, response.text[:500]
    assert response.headers["retry-after"] == "30"
    assert NOTHING_STORED in response.text and typed in response.text
    assert FILES_AGAIN in response.text


async def assert_the_api_refuses(client: httpx.AsyncClient) -> None:
    as_json = await client.post("/open311/v2/requests.json", data=API_REPORT)
    assert as_json.status_code == 503 and as_json.headers["retry-after"] == "30"
    assert as_json.json() == [{"code": 503, "description": API_REFUSAL}]
    as_xml = await client.post("/open311/v2/requests.xml", data=API_REPORT)
    assert as_xml.status_code == 503 and as_xml.headers["retry-after"] == "30"
    [error] = children(parse(as_xml), "error")
    assert text(error, "code") == "503" and text(error, "description") == API_REFUSAL


@pytest.fixture
def small_disk(tmp_path: Path, sqlite_template: Path, config_dir: Path) -> Iterator[Settings]:
    """The whole data folder — the SQLite database, its WAL, the attachments — on one 4 MiB
    tmpfs, as on a small server with one data disk."""
    with tmpfs(tmp_path / "disk", "4m") as disk:
        shutil.copyfile(sqlite_template, disk / "intake.sqlite3")
        yield Settings(data_dir=disk, database_url=f"sqlite://{disk / 'intake.sqlite3'}",
                       secret_key="test-secret-key-not-for-production",
                       base_url="http://testserver", config_dir=config_dir, digest_hour=None)


# Each photo takes one page of the disk; a case with its attachments and events takes the WAL
# some twenty pages more than it has.
@pytest.mark.parametrize(("pages_left", "what_refused"), [
    (2, "ENOSPC No space left on device"),  # the third photo does not fit
    (8, "OperationalError: database or disk is full"),  # the photos fit, the case does not
], ids=["a-photo", "the-database"])
async def test_a_disk_filling_up_during_photo_uploads_stores_nothing_then_files_once_freed(
        small_disk: Settings, caplog: pytest.LogCaptureFixture, pages_left: int,
        what_refused: str) -> None:
    disk = small_disk.data_dir
    async with running_app(small_disk) as app, browser(app) as client:
        # The log of the database emptied, as a checkpoint leaves it: the next case must grow it.
        with closing(sqlite3.connect(disk / "intake.sqlite3")) as other:
            assert other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
        before = await stored()
        filler = fill(disk, pages_left)
        with caplog.at_level(logging.WARNING, logger="intake.filing"):
            response = await post_report(client, {**VALID_REPORT, "brand": "Sữa Ông Thọ"}, PHOTOS)
        refused(response, 'value="Sữa Ông Thọ"')
        assert f"nothing stored: {what_refused}" in caplog.text
        await assert_the_api_refuses(client)
        assert await stored() == before
        assert files_in(small_disk.attachments_dir) == []  # what was written is gone

        filler.unlink()  # an operator frees space; no restart
        filed = await post_report(client, files=PHOTOS)
        assert filed.status_code == 303, filed.text[:500]
        case = await Case.get(tracking_code=filed.headers["location"].rsplit("/", 1)[1])
        assert await Attachment.filter(case_id=case.id).count() == 3
        assert len(files_in(small_disk.attachments_dir)) == 3
        assert await AuditEvent.filter(case_id=case.id, action="created").exists()


@asynccontextmanager
async def writes_refused(settings: Settings) -> AsyncIterator[None]:
    """The database takes no writes while the block lasts, and its reads go on. SQLite: the
    worker opens the file again (as after a restart) while the file is read-only, as a
    restored backup owned by another user is. PostgreSQL: the database is read-only for new
    sessions and the worker's are cut, as when a failover lands on a hot standby."""
    if settings.database_url.startswith("sqlite://"):
        await connections.get("default").close()
        with read_only(Path(settings.database_url.removeprefix("sqlite://"))):
            yield
        return
    name = settings.database_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        await _cut_sessions(admin, name)
        yield
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
        await _cut_sessions(admin, name)
        await admin.close()


async def _cut_sessions(admin: asyncpg.Connection, name: str) -> None:
    await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = $1 AND pid <> pg_backend_pid()", name)
    await asyncio.sleep(0.2)  # the pool sees its connections closed, and opens new ones


async def business_asked(app: Starlette, client: httpx.AsyncClient) -> tuple[str, str, str]:
    """A case whose inspector asked the business to explain: its code, PIN, and the
    business's link."""
    code, pin = await assigned_case(client, app)
    async with staff(app, "qltt") as inspector:
        assert (await post(inspector, code, action="start")).status_code == 303
        assert (await post(inspector, code, **ask())).status_code == 303
    asked = await ExplanationRequest.get(case__tracking_code=code)
    secret = app.state.intake.settings.secret_key
    return code, pin, f"/explain/{explanation_token(secret, asked.id, asked.link_nonce)}"


async def test_a_database_that_takes_no_writes_is_a_503_on_every_form_then_files_again(
        settings: Settings) -> None:
    photo = [("photos", PHOTOS[0])]
    async with (running_app(settings) as app, browser(app) as citizen, browser(app) as officer,
                browser(app) as reporter, browser(app) as business):
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
        code, pin, link = await business_asked(app, citizen)
        await sign_in(officer, "officer")
        await reporter_page(reporter, code, pin)
        forms = {"web": await csrf_token(citizen),
                 "reporter": await csrf_token(reporter, f"/track/{code}/reporter"),
                 "staff": await csrf_token(officer, "/staff/cases/new"),
                 "business": await csrf_token(business, link)}
        # The officer's session is due to be marked as seen: that write fails too, and must
        # not turn the form into an error page.
        seen = dt.datetime.now(dt.UTC) - 2 * SESSION_TOUCH_INTERVAL
        await StaffSession.all().update(last_seen_at=seen)
        before = await stored()
        async with writes_refused(settings):
            web = await citizen.post("/report", files=photo, data={
                **VALID_REPORT, "brand": "Bia Sài Gòn", "join_case": "new",
                "csrf_token": forms["web"]})
            refused(web, 'value="Bia Sài Gòn"')
            await assert_the_api_refuses(citizen)
            refused(await officer.post("/staff/cases/new", files=photo, data={
                **VALID_REPORT, "brand": "Bia Hà Nội", "intake_channel": "hotline",
                "csrf_token": forms["staff"]}), 'value="Bia Hà Nội"')
            refused(await reporter.post(f"/track/{code}/reporter", files=photo, data={
                "body": "Thêm một chai nữa.", "csrf_token": forms["reporter"]}),
                "Thêm một chai nữa.")
            refused(await business.post(link, files=photo, data={
                "answer": "Hàng nhập từ nhà phân phối.", "csrf_token": forms["business"]}),
                "Hàng nhập từ nhà phân phối.")
            assert await stored() == before
            assert files_in(settings.attachments_dir) == []
        assert (await post_report(citizen, files=PHOTOS[:1])).status_code == 303
        assert (await citizen.post("/open311/v2/requests.json", data=API_REPORT)).status_code \
            == 201
        assert (await stored())["cases"] == before["cases"] + 2
