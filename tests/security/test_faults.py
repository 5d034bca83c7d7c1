"""Faults: a server killed with SIGKILL in the middle of a burst of submissions leaves every
acknowledged report stored whole, no case without its files or its audit event, no attachment
row without its file, and an audit chain that still verifies."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.conftest import running_app
from tests.helpers import jpeg_with_gps
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
