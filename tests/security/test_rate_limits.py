"""Per-address allowances on the public endpoints and the honeypot: a flood is refused with a
clear message and Retry-After, nothing of it is stored, and other addresses are not affected.
A new address's first requests arriving together are let in, exactly up to the allowance."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
from collections import Counter
from dataclasses import replace

import httpx
import pytest
from tortoise.transactions import in_transaction

from tests.conftest import browser, running_app
from tests.helpers import VALID_REPORT, post_report
from tests.intake.api.test_open311 import API_REPORT
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD
from tests.intake.test_explanations import ANSWER, asked_case
from workflows.access.accounts import create_user
from workflows.access.limits import Allowance, Allowances, RateLimited, spend
from workflows.access.models import RateCounter
from workflows.cases.models import Case


@pytest.fixture
async def limited_app(settings):
    async with running_app(replace(settings, report_rate_limit=2, track_rate_limit=3)) as app:
        yield app


def from_address(app, address: str) -> httpx.AsyncClient:
    return browser(app, client=(address, 40000))


async def test_a_third_report_within_the_hour_is_refused_and_kept_on_the_form(limited_app):
    async with from_address(limited_app, "203.0.113.7") as client:
        for _ in range(2):
            assert (await post_report(client)).status_code == 303
        refused = await post_report(client, {**VALID_REPORT, "product_name": "Lần thứ ba"})
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 3600
        assert "Có quá nhiều phản ánh được gửi từ mạng của bạn" in refused.text
        assert 'value="Lần thứ ba"' in refused.text  # what was typed is kept
        api = await client.post("/open311/v2/requests.json", data={
            **API_REPORT, "attribute[product_name]": "Qua API"})
        assert api.status_code == 429 and api.json()[0]["code"] == 429
    async with from_address(limited_app, "198.51.100.9") as neighbour:
        assert (await post_report(neighbour)).status_code == 303  # another address is not held
    assert await Case.all().count() == 3
    assert not await Case.filter(product_name__in=["Lần thứ ba", "Qua API"]).exists()


async def test_case_look_ups_are_limited_per_address(limited_app):
    async with from_address(limited_app, "203.0.113.8") as client:
        answers = [(await client.get("/track", params={"code": f"AAAA-BBB{n}"})).status_code
                   for n in range(4)]
        assert answers == [404, 404, 404, 429]
        assert "Có quá nhiều lượt tra cứu" in (await client.get("/track?code=X")).text


async def test_workers_share_one_count(limited_app):
    """Ten requests at once from one address, as several workers would see them: exactly the
    allowance gets through."""
    allowance = Allowances.per_hour(4, 0).report
    results = await asyncio.gather(*(spend(allowance, "192.0.2.1") for _ in range(10)),
                                   return_exceptions=True)
    assert sum(result is None for result in results) == 4
    assert all(isinstance(r, RateLimited) for r in results if r is not None)


async def test_counting_draws_no_row_number_per_request(limited_app):
    """A busy address counted a million times must not use up the table's 32-bit ids: only a
    new address takes one (an upsert per request would draw one each time on PostgreSQL)."""
    allowance = Allowances.per_hour(3, 0).report
    for _ in range(20):  # counted, then refused
        with contextlib.suppress(RateLimited):
            await spend(allowance, "192.0.2.8")
    await spend(allowance, "192.0.2.9")
    first, second = await RateCounter.filter(key__startswith="report:192.0.2.").order_by(
        "id").values_list("id", flat=True)
    assert second == first + 1


async def test_the_allowance_comes_back_after_an_hour_and_zero_turns_it_off(app):
    start = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)
    allowance = Allowances.per_hour(1, 0).report
    await spend(allowance, "192.0.2.2", start)
    with pytest.raises(RateLimited) as limited:
        await spend(allowance, "192.0.2.2", start + dt.timedelta(minutes=59))
    assert limited.value.retry_at == start + dt.timedelta(hours=1)
    await spend(allowance, "192.0.2.2", start + dt.timedelta(hours=1))
    for _ in range(50):
        await spend(Allowances.per_hour(0, 0).report, "192.0.2.3")  # a trusted gateway


async def test_a_filled_honeypot_is_refused_with_a_message_a_person_can_act_on(client):
    response = await post_report(client, {**VALID_REPORT, "website": "http://spam.example"})
    assert response.status_code == 400
    assert "Để trống ô này" in response.text and "xóa nội dung ô đó" in response.text
    assert not await Case.exists()


async def _spend_at_once(allowance: Allowance, address: str, requests: int) -> list[object]:
    """`requests` first requests from one address at once, as a filing spends (outside a
    transaction) and as a caller inside an open transaction may (held a moment, as a filing's)."""

    async def one(n: int) -> None:
        if n % 2 == 0:
            await spend(allowance, address)
            return
        async with in_transaction():
            await spend(allowance, address)
            await asyncio.sleep(0.01)

    return await asyncio.gather(*(one(n) for n in range(requests)), return_exceptions=True)


async def test_first_requests_arriving_together_are_let_in_exactly_to_the_allowance(app):
    """A new address's first requests arrive together: none may be refused while the
    allowance lasts (they were: 'too many' with an hour to wait), and no more than it let in."""
    results = await _spend_at_once(Allowances.per_hour(1000, 0).report, "192.0.2.60", 50)
    assert [result for result in results if result is not None] == []
    assert (await RateCounter.get(key="report:192.0.2.60")).hits == 50

    results = await _spend_at_once(Allowances.per_hour(10, 0).report, "192.0.2.61", 20)
    assert sum(result is None for result in results) == 10
    refused = [result for result in results if result is not None]
    assert all(isinstance(result, RateLimited) for result in refused)
    window = (await RateCounter.get(key="report:192.0.2.61")).window_start
    assert {result.retry_at for result in refused} == {window + dt.timedelta(hours=1)}


async def _open311_at_once(app, address: str, requests: int) -> Counter[int]:
    async with from_address(app, address) as client:
        answers = await asyncio.gather(*(client.post("/open311/v2/requests.json", data={
            **API_REPORT, "attribute[product_name]": f"Thuốc lá {n}"}) for n in range(requests)))
    return Counter(answer.status_code for answer in answers)


async def test_parallel_first_open311_reports_are_all_accepted_and_counted_exactly(settings):
    """A FixMyStreet or an app relaying its users' reports from one address, many at once."""
    async with running_app(replace(settings, report_rate_limit=60)) as app:
        assert await _open311_at_once(app, "203.0.113.60", 50) == {201: 50}
    async with running_app(replace(settings, report_rate_limit=5)) as app:
        assert await _open311_at_once(app, "203.0.113.61", 10) == {201: 5, 429: 5}
        assert await Case.all().count() == 55


@pytest.fixture
async def followup_limited_app(mail_settings):
    async with running_app(replace(mail_settings, followup_rate_limit=100)) as app:
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
        yield app


async def test_parallel_answers_through_one_link_are_refused_as_used_not_as_too_many(
        followup_limited_app, smtp_server):
    """A business sends its answer many times at once from a new address: one is stored, the
    others are told the link was used — none that its allowance is spent."""
    app = followup_limited_app
    async with browser(app) as client:
        _, _, link = await asked_case(client, app, smtp_server, action="request_explanation")
    async with from_address(app, "203.0.113.62") as business:
        page = await business.get(link)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answers = await asyncio.gather(*(business.post(link, data={
            "answer": f"{ANSWER} ({n})", "csrf_token": token}) for n in range(50)))
    assert Counter(answer.status_code for answer in answers) == {303: 1, 410: 49}
