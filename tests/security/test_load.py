"""Load: fifty clients file reports as fast as they can for a minute, through the web form and
the Open311 API, against two workers over one PostgreSQL. Every acknowledged report is stored
exactly once, with its audit event and its agency alert, and nothing unacknowledged is stored.

INTAKE_LOAD_SECONDS shortens the minute for a quick local run; CI runs the full minute."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from tests.conftest import running_app
from tests.helpers import VALID_REPORT, jpeg_with_gps
from tests.intake.api.test_open311 import API_REPORT
from tests.live import free_port, run_intake, start_server
from workflows.audit.models import AuditEvent
from workflows.cases.models import Case
from workflows.mail.models import OutboxMessage

CLIENTS = 50
SECONDS = float(os.environ.get("INTAKE_LOAD_SECONDS", "60"))
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Tally:
    acknowledged: dict[str, str] = field(default_factory=dict)  # product name -> tracking code
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


async def citizen(base_url: str, number: int, deadline: float, tally: Tally) -> None:
    """One person's phone: a web form with a photo, then the API, in turn, until time is up."""
    photo = ("tem.jpg", jpeg_with_gps(), "image/jpeg")
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        token = _CSRF.search((await client.get("/report")).text).group(1)  # type: ignore[union-attr]
        sent = 0
        while time.monotonic() < deadline:
            name = f"Tải {number}-{sent}"
            started = time.monotonic()
            if sent % 2 == 0:
                response = await client.post(
                    "/report", data={**VALID_REPORT, "csrf_token": token, "product_name": name,
                                      "join_case": "new"},
                    files=[("photos", photo)])
                code = response.headers.get("location", "").rsplit("/", 1)[-1]
            else:
                response = await client.post(
                    "/open311/v2/requests.json",
                    data={**API_REPORT, "attribute[product_name]": name})
                code = response.json()[0].get("service_request_id", "") \
                    if response.status_code == 201 else ""
            tally.latencies.append(time.monotonic() - started)
            tally.statuses[response.status_code] += 1
            if response.status_code in (201, 303):
                tally.acknowledged[name] = code
            sent += 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_fifty_clients_for_a_minute_every_acknowledged_report_stored_once(settings):
    port = free_port()
    server = start_server(settings, port, workers=2)
    tally = Tally()
    try:
        deadline = time.monotonic() + SECONDS
        await asyncio.gather(*(citizen(f"http://127.0.0.1:{port}", number, deadline, tally)
                               for number in range(CLIENTS)))
    finally:
        server.terminate()
        server.wait(timeout=30)

    latencies = sorted(tally.latencies)
    print(f"\n{sum(tally.statuses.values())} reports in {SECONDS:.0f} s from {CLIENTS} clients: "
          f"{dict(tally.statuses)}; p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms")
    assert set(tally.statuses) <= {201, 303}, tally.statuses  # no 5xx, no refusal under load
    assert len(tally.acknowledged) >= CLIENTS  # every client got through at least once

    async with running_app(settings):
        stored = {case.product_name: case for case in await Case.all()}
        assert len(stored) == await Case.all().count()  # no report stored twice
        assert set(stored) == set(tally.acknowledged)  # nothing lost, nothing unacknowledged
        for name, code in tally.acknowledged.items():
            assert stored[name].tracking_code == code
        case_ids = {case.id for case in stored.values()}
        created = await AuditEvent.filter(action="created").values_list("case_id", flat=True)
        assert sorted(created) == sorted(case_ids)  # one creation event each
        alerted = await OutboxMessage.filter(kind="agency_alert").values_list("case_id", flat=True)
        assert sorted(alerted) == sorted(case_ids)  # one agency alert each
    verified = run_intake("audit", "verify", env={"INTAKE_DATABASE_URL": settings.database_url,
                                                  "INTAKE_DATA_DIR": str(settings.data_dir)})
    assert verified.returncode == 0, verified.stderr
