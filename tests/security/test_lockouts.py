"""Lockouts hold under parallel attack: each try is counted before its secret is checked, in
one locked transaction, so however many arrive at once only the allowed number are checked —
sign-ins per account and per address, PINs per case and address. Password hashing runs off
the event loop."""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.conftest import browser
from tests.helpers import csrf_token
from tests.intake.conftest import ACCOUNTS, PASSWORD
from tests.intake.public.test_pages import file_and_read_receipt
from workflows.access.accounts import create_user
from workflows.access.limits import PIN_PER_CASE, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS
from workflows.access.passwords import password_matches


async def _sign_in_form(client) -> str:
    return await csrf_token(client, "/staff/login")


async def test_parallel_sign_ins_check_no_more_passwords_than_the_account_allows(app, accounts):
    email = ACCOUNTS["khcn"][0]
    async with browser(app) as client:
        token = await _sign_in_form(client)

        async def attempt(password: str) -> int:
            answer = await client.post("/staff/login", data={
                "email": email, "password": password, "csrf_token": token})
            return answer.status_code

        statuses = await asyncio.gather(*(attempt(f"đoán-sai-{n}") for n in range(38)),
                                        attempt(PASSWORD))
    counted = Counter(statuses)
    # 400: a password checked and wrong; 303: the right one, checked; 429: refused unchecked.
    assert counted[400] + counted[303] <= SIGN_IN_PER_ACCOUNT.max_failures
    assert counted[429] >= 39 - SIGN_IN_PER_ACCOUNT.max_failures


async def test_parallel_sign_ins_from_one_address_check_no_more_than_it_allows(app):
    emails = [f"nguoi-{n}@tinh.gov.vn" for n in range(10)]
    for email in emails:
        await create_user(email, PASSWORD, "analyst", None, set())
    async with browser(app) as client:
        token = await _sign_in_form(client)
        statuses = await asyncio.gather(*(client.post("/staff/login", data={
            "email": emails[n % 10], "password": f"sai-{n}", "csrf_token": token})
            for n in range(100)))
    counted = Counter(answer.status_code for answer in statuses)
    assert counted[400] <= SIGN_IN_PER_ADDRESS.max_failures
    assert counted[429] >= 100 - SIGN_IN_PER_ADDRESS.max_failures


async def test_a_right_password_gives_its_try_back(app):
    """An office behind one address signs in all day without locking itself out."""
    for n in range(SIGN_IN_PER_ADDRESS.max_failures + 5):
        await create_user(f"can-bo-{n}@tinh.gov.vn", PASSWORD, "analyst", None, set())
    async with browser(app) as client:
        token = await _sign_in_form(client)
        for n in range(SIGN_IN_PER_ADDRESS.max_failures + 5):
            answer = await client.post("/staff/login", data={
                "email": f"can-bo-{n}@tinh.gov.vn", "password": PASSWORD, "csrf_token": token})
            assert answer.status_code == 303


async def test_parallel_pins_check_no_more_than_the_case_allows(client, app):
    code, pin, _ = await file_and_read_receipt(client)
    token = await csrf_token(client, "/track")
    statuses = await asyncio.gather(*(client.post("/track/access", data={
        "code": code, "pin": f"{n:08d}", "csrf_token": token}) for n in range(60)))
    counted = Counter(answer.status_code for answer in statuses)
    assert counted[403] <= PIN_PER_CASE.max_failures
    assert counted[429] >= 60 - PIN_PER_CASE.max_failures


async def test_password_hashing_leaves_the_event_loop_free(app):
    """While argon2 checks a password (tens of milliseconds of CPU), the loop goes on serving
    other requests: /healthz and every page stay answerable under a burst of sign-ins."""
    ticks = 0
    check = asyncio.create_task(password_matches(None, "mật-khẩu-bất-kỳ"))
    while not check.done():
        await asyncio.sleep(0)
        ticks += 1
    assert await check is False
    # On the loop, the check would run in one go between two ticks.
    assert ticks > 20
