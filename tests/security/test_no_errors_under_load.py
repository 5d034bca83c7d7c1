"""Every answer 2xx under load: 16 and then 64 connections file reports at once through the
Open311 API against a freshly started `intake serve` (no warm rate-limit row), on each
database, with the per-address allowance counting (high enough never to refuse: every one of
these requests comes from one address, so they all count on one row, the limiter's worst
case); and 64 citizens send the web form with a photo to two workers at once. A 429 from the
limiter's race, a 503 from a busy database, a form refused as expired or a 500 fails the
test."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from tests.conftest import running_app
from tests.helpers import VALID_REPORT, csrf_token, jpeg_with_gps
from tests.intake.api.test_open311 import API_REPORT
from tests.live import free_port, start_server
from workflows.cases.models import Attachment, Case

PER_CONNECTION = 4


async def _connection(base_url: str, number: int, statuses: Counter[int]) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        for sent in range(PER_CONNECTION):
            response = await client.post("/open311/v2/requests.json", data={
                **API_REPORT, "attribute[product_name]": f"Tải {number}-{sent}"})
            statuses[response.status_code] += 1


@pytest.mark.parametrize("connections", [16, 64])
async def test_every_answer_is_2xx_with_the_limiter_counting(settings, connections):
    port = free_port()
    server = start_server(settings, port, env={"INTAKE_RATE_LIMIT": "1000000"})
    statuses: Counter[int] = Counter()
    try:
        await asyncio.gather(*(_connection(f"http://127.0.0.1:{port}", number, statuses)
                               for number in range(connections)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == Counter({201: connections * PER_CONNECTION}), statuses
    async with running_app(settings):
        assert await Case.all().count() == connections * PER_CONNECTION


async def _citizen(base_url: str, number: int, statuses: Counter[int]) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        for sent in range(2):
            response = await client.post("/report", data={
                **VALID_REPORT, "csrf_token": await csrf_token(client), "join_case": "new",
                "product_name": f"Tải {number}-{sent}"},
                files=[("photos", ("tem.jpg", jpeg_with_gps(), "image/jpeg"))])
            statuses[response.status_code] += 1


async def test_every_citizen_with_a_photo_is_answered_by_two_workers(settings):
    """The web form (its CSRF cookie, a photo cleaned of its metadata) against two workers of
    one database: SQLite serialises their writes, PostgreSQL takes them side by side."""
    port = free_port()
    server = start_server(settings, port, workers=2, env={"INTAKE_RATE_LIMIT": "1000000"})
    statuses: Counter[int] = Counter()
    try:
        await asyncio.gather(*(_citizen(f"http://127.0.0.1:{port}", number, statuses)
                               for number in range(64)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == Counter({303: 64 * 2}), statuses  # each to its receipt
    async with running_app(settings):
        assert await Case.all().count() == 64 * 2
        assert await Attachment.all().count() == 64 * 2
