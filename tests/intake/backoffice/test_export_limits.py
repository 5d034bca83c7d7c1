"""What downloads may cost the server: so many an hour per staff account, a few PDFs at a time
per worker with a short queue (the rest told at once to come back), and no audit checkpoint
signed for any of them — each file prints the latest one."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import time
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import browser
from tests.intake.conftest import sign_in
from workflows.audit.models import AuditEvent, LogCheckpoint
from workflows.audit.notes import Checkpoint, Verifier
from workflows.audit.sequencer import latest_checkpoint

EXPORT = "/staff/stats/export"


@pytest.fixture
def settings(settings):
    """Three downloads an hour per account, one PDF made at a time and one waiting; a
    checkpoint signed only for a new log, so that any other was signed by an export."""
    return replace(settings, export_rate_limit=3, pdf_renders=1, pdf_queue=1,
                   checkpoint_seconds=3600)


async def test_an_account_gets_so_many_downloads_an_hour_then_is_told_when_more(
        client, accounts, cases):
    await sign_in(client, "analyst")
    for params in ({"format": "csv"}, {"format": "csv", "detail": "1"}, {"format": "xlsx"}):
        assert (await client.get(EXPORT, params=params)).status_code == 200
    refused = await client.get(EXPORT, params={"format": "json", "period": "2026-10",
                                               "agency": "qltt"})
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["retry-after"]) <= 3600
    assert "Tài khoản này đã tải 3 tệp trong một giờ qua" in refused.text
    assert "Vui lòng thử lại sau" in refused.text
    # A page that costs nothing to make, and the way back to the figures asked for.
    assert ('<a href="/staff/stats?period=2026-10&amp;agency=qltt">Quay lại số liệu thống kê '
            'của kỳ này</a>') in refused.text
    assert await AuditEvent.filter(action="export").count() == 3  # the refused one took nothing
    # Counted per account, not per address: a colleague at the next desk still downloads.
    await sign_in(client, "officer")
    assert (await client.get(EXPORT, params={"format": "json"})).status_code == 200


def soffice_children() -> int:
    """LibreOffice processes this test's process started (one per conversion)."""
    found = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        if parent == os.getpid() and b"office" in command:
            found += 1
    return found


async def test_pdfs_beyond_the_queue_are_refused_at_once_and_one_renders_at_a_time(
        app, accounts, cases, spreadsheet):
    clients = [browser(app) for _ in range(3)]
    for http, who in zip(clients, ("analyst", "officer", "committee"), strict=True):
        await sign_in(http, who)
    most, sampling = 0, True

    async def sample() -> None:
        nonlocal most
        while sampling:
            most = max(most, soffice_children())
            await asyncio.sleep(0.05)

    async def pdf(http) -> tuple[float, object]:
        answer = await http.get(EXPORT, params={"format": "pdf"})
        return time.monotonic(), answer

    sampler = asyncio.create_task(sample())
    answers = await asyncio.gather(*(pdf(http) for http in clients * 2))
    sampling = False
    await sampler
    made = [(done, answer) for done, answer in answers if answer.status_code == 200]
    refused = [(done, answer) for done, answer in answers if answer.status_code == 503]
    assert (len(made), len(refused)) == (2, 4)  # one rendering, one waiting its turn
    assert all(answer.content.startswith(b"%PDF") for _, answer in made)
    # Told at once, before the first PDF was even ready, with when to come back.
    assert max(done for done, _ in refused) < min(done for done, _ in made)
    for _, answer in refused:
        assert answer.headers["retry-after"] == "60"
        assert "Đang có quá nhiều tệp PDF được tạo (1 tệp cùng lúc, 1 tệp đang chờ)" \
            in answer.text
    assert most == 1  # never a pile of LibreOffice processes
    assert await AuditEvent.filter(action="export").count() == 2
    for http in clients:
        await http.aclose()


async def first_checkpoint() -> LogCheckpoint:
    """The log's first checkpoint, which the server's sequencer signs once events arrive."""
    deadline = time.monotonic() + 20
    while (latest := await latest_checkpoint()) is None:
        assert time.monotonic() < deadline, "no checkpoint was signed"
        await asyncio.sleep(0.1)
    return latest


async def test_a_download_prints_the_latest_checkpoint_and_signs_none(client, accounts, cases):
    signed = await first_checkpoint()
    await sign_in(client, "analyst")
    text = (await client.get(EXPORT, params={"format": "csv"})).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[-1][1] == signed.note
    workbook = openpyxl.load_workbook(io.BytesIO(
        (await client.get(EXPORT, params={"format": "xlsx"})).content)).worksheets[-1]
    note = workbook.cell(workbook.max_row, 1).value
    assert note == signed.note
    assert (await client.get(EXPORT, params={"format": "json"})).json()[
        "audit_checkpoint"] == signed.note
    assert await LogCheckpoint.all().count() == 1  # three exports, not one signature more
    # The note is the log's own, signed by its key.
    head = Checkpoint.parse(Verifier.from_vkey((await client.get("/audit/key")).text).open(note))
    assert (head.size, head.root) == (signed.size, bytes(signed.root))
