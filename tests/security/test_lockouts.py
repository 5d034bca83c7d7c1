"""Lockouts hold under parallel attack: each try is counted before its secret is checked, in
one locked transaction, so however many arrive at once only the allowed number are checked —
sign-ins per account and per address, PINs per case and network. Guessing a case's PIN from
many networks locks those networks, never the reporter. Password hashing runs off the event
loop."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest

from tests.conftest import browser
from tests.helpers import csrf_token
from tests.intake.conftest import ACCOUNTS, PASSWORD
from tests.intake.public.test_pages import file_and_read_receipt
from workflows.access.accounts import create_user
from workflows.access.limits import Allowances, purge_stale
from workflows.access.lockouts import (
    PIN_PER_CASE,
    PIN_PER_CASE_AND_ADDRESS,
    SIGN_IN_PER_ACCOUNT,
    SIGN_IN_PER_ACCOUNT_AND_ADDRESS,
    SIGN_IN_PER_ADDRESS,
    LockedOut,
    reserve_attempt,
)
from workflows.access.models import LoginThrottle
from workflows.access.passwords import password_matches
from workflows.cases.reporter import AccessRefused, open_for_reporter
from workflows.i18n.translations import translator


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
    assert counted[400] + counted[303] <= SIGN_IN_PER_ACCOUNT_AND_ADDRESS.max_failures
    assert counted[429] >= 39 - SIGN_IN_PER_ACCOUNT_AND_ADDRESS.max_failures


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
    assert counted[403] <= PIN_PER_CASE_AND_ADDRESS.max_failures
    assert counted[429] >= 60 - PIN_PER_CASE_AND_ADDRESS.max_failures


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


async def _guess_from(app, address: str, email: str, tries: int) -> Counter[int]:
    async with browser(app, client=(address, 50000)) as attacker:
        token = await _sign_in_form(attacker)
        answers = [await attacker.post("/staff/login", data={
            "email": email, "password": f"đoán-{n}", "csrf_token": token})
            for n in range(tries)]
    return Counter(answer.status_code for answer in answers)


async def test_guessing_from_many_networks_cannot_lock_the_owner_out_of_a_known_browser(
        app, accounts):
    """A botnet spreads its guesses over many networks: the account-wide limit stops it
    without stopping the person at the browser they signed in from before."""
    email = ACCOUNTS["khcn"][0]
    async with browser(app, client=("192.0.2.10", 40000)) as owner:
        token = await _sign_in_form(owner)
        first = await owner.post("/staff/login", data={
            "email": email, "password": PASSWORD, "csrf_token": token})
        assert first.status_code == 303
        owner.cookies.delete("intake_session")
        guesses: Counter[int] = Counter()
        per_network = SIGN_IN_PER_ACCOUNT_AND_ADDRESS.max_failures
        for n in range(SIGN_IN_PER_ACCOUNT.max_failures // per_network + 2):
            guesses += await _guess_from(app, f"198.51.100.{n + 1}", email, per_network + 1)
        # The account-wide limit was reached: a browser never seen before is held back...
        assert guesses[429] > 0 and guesses[400] <= SIGN_IN_PER_ACCOUNT.max_failures
        async with browser(app, client=("203.0.113.77", 40000)) as stranger:
            token = await _sign_in_form(stranger)
            held = await stranger.post("/staff/login", data={
                "email": email, "password": PASSWORD, "csrf_token": token})
            assert held.status_code == 429
        # ...and the owner's own browser still signs in.
        token = await _sign_in_form(owner)
        again = await owner.post("/staff/login", data={
            "email": email, "password": PASSWORD, "csrf_token": token})
        assert again.status_code == 303


async def test_a_forged_device_cookie_does_not_lift_the_account_limit(app, accounts):
    email = ACCOUNTS["khcn"][0]
    per_network = SIGN_IN_PER_ACCOUNT_AND_ADDRESS.max_failures
    for n in range(SIGN_IN_PER_ACCOUNT.max_failures // per_network + 2):
        await _guess_from(app, f"198.51.100.{n + 1}", email, per_network + 1)
    async with browser(app, client=("203.0.113.78", 40000)) as forger:
        forger.cookies.set("intake_device", "device-of-someone", path="/staff/login")
        token = await _sign_in_form(forger)
        held = await forger.post("/staff/login", data={
            "email": email, "password": PASSWORD, "csrf_token": token})
    assert held.status_code == 429


async def test_one_ipv6_network_counts_as_one_for_pins(app):
    """A home connection holds 2^64 IPv6 addresses: guessing from each in turn is guessing
    from one network."""
    async with browser(app) as reporter:
        code, _, _ = await file_and_read_receipt(reporter)
    statuses = []
    for n in range(PIN_PER_CASE_AND_ADDRESS.max_failures + 3):
        async with browser(app, client=(f"2001:db8:1:2::{n + 1:x}", 50000)) as guesser:
            token = await csrf_token(guesser, "/track")
            answer = await guesser.post("/track/access", data={
                "code": code, "pin": f"{n:08d}", "csrf_token": token})
            statuses.append(answer.status_code)
    assert statuses[:PIN_PER_CASE_AND_ADDRESS.max_failures] == \
        [403] * PIN_PER_CASE_AND_ADDRESS.max_failures
    assert set(statuses[PIN_PER_CASE_AND_ADDRESS.max_failures:]) == {429}
    async with browser(app, client=("2001:db8:1:3::1", 50000)) as neighbour:
        token = await csrf_token(neighbour, "/track")
        other = await neighbour.post("/track/access", data={
            "code": code, "pin": "00000000", "csrf_token": token})
    assert other.status_code == 403  # the next network is counted on its own


async def test_counters_keep_nothing_typed_and_are_forgotten_after_a_day(app):
    typed = "mat-khau-go-nham@tinh.gov.vn"  # a password typed into the email field
    assert (await _guess_from(app, "198.51.100.9", typed, 1))[400] == 1
    keys = await LoginThrottle.all().values_list("key", flat=True)
    assert keys and not any("mat-khau" in key for key in keys)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert await purge_stale(later) >= len(keys)
    assert not await LoginThrottle.exists()


async def _pins_from(app, address: str, code: str, pins: list[str]) -> Counter[int]:
    """PINs typed one after another from one network: 303 opened, 403 wrong, 429 locked."""
    async with browser(app, client=(address, 50000)) as guesser:
        token = await csrf_token(guesser, "/track")
        answers = [await guesser.post("/track/access", data={
            "code": code, "pin": typed, "csrf_token": token}) for typed in pins]
    assert all(int(answer.headers["retry-after"]) > 3000 for answer in answers
               if answer.status_code == 429)
    return Counter(answer.status_code for answer in answers)


async def test_strangers_holding_the_code_cannot_lock_the_reporter_out(app):
    """Tracking codes are public. Sixty wrong PINs from six networks used to lock the case for
    everyone for an hour (again at will); now they lock the networks that guessed."""
    async with browser(app) as reporter:
        code, pin, _ = await file_and_read_receipt(reporter)
    wrong = [f"{n:08d}" for n in range(PIN_PER_CASE_AND_ADDRESS.max_failures)]
    attackers = [f"198.51.100.{n + 1}" for n in range(6)]
    guesses: Counter[int] = Counter()
    for address in attackers:
        guesses += await _pins_from(app, address, code, wrong)
    # The reporter's phone, on a network that never failed at this case: the page opens.
    async with browser(app, client=("203.0.113.90", 40000)) as phone:
        token = await csrf_token(phone, "/track")
        opened = await phone.post("/track/access", data={
            "code": code, "pin": pin, "csrf_token": token})
        assert opened.status_code == 303
        assert (await phone.get(opened.headers["location"])).status_code == 200
    # Five networks' guesses were checked; past the case's limit, the sixth is of a block
    # (198.51.100.0/24) that failed already: none of its guesses is checked.
    assert guesses == {403: PIN_PER_CASE.max_failures, 429: 10}
    # The networks that guessed stay locked, even with the right PIN...
    for address in attackers:
        assert await _pins_from(app, address, code, [pin]) == {429: 1}
    # ...and more networks still guess slowly: one wrong PIN for each new block, then locked.
    for n in range(4):
        assert await _pins_from(app, f"192.0.{n + 10}.1", code, wrong) == {403: 1, 429: 9}


async def test_hopping_over_a_sites_networks_gets_one_guess_for_the_site(app):
    """An IPv6 /48 holds 65,536 /64s, each counted as a network: past the case's limit, a
    guesser hopping over them gets one checked guess for the whole /48, not one for each."""
    async with browser(app) as reporter:
        code, pin, _ = await file_and_read_receipt(reporter)
    wrong = [f"{n:08d}" for n in range(PIN_PER_CASE_AND_ADDRESS.max_failures)]
    for n in range(5):  # past the case's limit, from five networks
        await _pins_from(app, f"198.51.{n}.1", code, wrong)
    checked: Counter[int] = Counter()
    for n in range(40):
        checked += await _pins_from(app, f"2001:db8:77:{n:x}::1", code, ["12345678"])
    assert checked == {403: 1, 429: 39}
    # The reporter on another site's network gets in.
    async with browser(app, client=("2001:db8:99:1::5", 40000)) as phone:
        token = await csrf_token(phone, "/track")
        opened = await phone.post("/track/access", data={
            "code": code, "pin": pin, "csrf_token": token})
        assert opened.status_code == 303


async def _try_pin(code: str, typed: str, address: str, at: dt.datetime,
                   secret_key: str) -> dt.datetime | None:
    """Opens the reporter's page at `at`: None if it opened, the end of the lock if the
    network is locked; a wrong PIN fails the test."""
    try:
        await open_for_reporter(code, typed, secret_key, address,
                                Allowances.per_hour(0, 0).track, now=at)
    except AccessRefused as refused:
        assert refused.retry_at is not None, "the PIN was checked and wrong"
        return refused.retry_at
    return None


async def test_a_guessing_network_is_locked_for_the_hour_and_no_count_goes_negative(app):
    async with browser(app) as reporter:
        code, pin, _ = await file_and_read_receipt(reporter)
    secret_key = app.state.intake.settings.secret_key
    start = dt.datetime.now(dt.UTC)
    attackers = [f"198.51.100.{n + 1}" for n in range(6)]
    for address in attackers:
        for n in range(PIN_PER_CASE_AND_ADDRESS.max_failures):
            with pytest.raises(AccessRefused):
                await open_for_reporter(code, f"{n:08d}", secret_key, address,
                                        Allowances.per_hour(0, 0).track, now=start)
    # During the attack, the reporter's phone gets in...
    assert await _try_pin(code, pin, "203.0.113.91", start, secret_key) is None
    # ...while a network that guessed is locked for an hour from its next try, whatever it
    # types...
    locked_at = start + dt.timedelta(minutes=1)
    until = locked_at + PIN_PER_CASE_AND_ADDRESS.lockout
    assert await _try_pin(code, pin, attackers[0], locked_at, secret_key) == until
    assert await _try_pin(code, pin, attackers[0], until - dt.timedelta(seconds=1),
                          secret_key) == until
    # ...and not longer: once the hour is over, its tries are checked again.
    after = until + dt.timedelta(seconds=1)
    with pytest.raises(AccessRefused) as wrong:
        await open_for_reporter(code, "99999999", secret_key, attackers[0],
                                Allowances.per_hour(0, 0).track, now=after)
    assert wrong.value.retry_at is None  # checked, and wrong
    assert await _try_pin(code, pin, attackers[1], after, secret_key) is None
    # The right PIN gives its try back, across a new hour too: no count below zero.
    for minutes in (0, 1, 61, 125):
        at = after + dt.timedelta(minutes=minutes)
        assert await _try_pin(code, pin, "203.0.113.91", at, secret_key) is None
        failures = await LoginThrottle.all().values_list("failures", flat=True)
        assert min(failures) >= 0
    assert (await LoginThrottle.get(key=f"pin:{code}")).failures == 0


async def test_a_network_that_failed_stays_suspect_after_its_blocks_hour_ends(app):
    """Past the case's limit a network that failed there is locked even when the hour of its
    block (which counts every network of the /24) ended before the network's own hour did;
    a network of the same block that never failed is still checked.

    Mutants left alive on purpose (README, "Mutation testing"): `using_db=None` for
    `using_db=connection` in reserve_attempt_from changes nothing, since inside
    `in_transaction()` Tortoise hands every query without a client to that transaction."""
    async with browser(app) as reporter:
        code, pin, _ = await file_and_read_receipt(reporter)
    secret_key = app.state.intake.settings.secret_key
    start = dt.datetime.now(dt.UTC)

    async def wrong(address: str, at: dt.datetime) -> None:
        with pytest.raises(AccessRefused) as refused:
            await open_for_reporter(code, "00000000", secret_key, address,
                                    Allowances.per_hour(0, 0).track, now=at)
        assert refused.value.retry_at is None  # checked, and wrong

    await wrong("198.51.100.1", start)  # the block's hour begins
    await wrong("198.51.100.2", start + dt.timedelta(minutes=50))  # this network's, later
    again = start + dt.timedelta(minutes=61)  # the case's hour begins again:
    for network in range(PIN_PER_CASE.max_failures // PIN_PER_CASE_AND_ADDRESS.max_failures):
        for _ in range(PIN_PER_CASE_AND_ADDRESS.max_failures):  # its limit, from elsewhere
            await wrong(f"192.0.{network + 20}.1", again)
    at = start + dt.timedelta(minutes=70)  # the block's hour is over, the network's is not
    assert await _try_pin(code, pin, "198.51.100.2", at, secret_key) == (
        at + PIN_PER_CASE_AND_ADDRESS.lockout)
    assert await _try_pin(code, pin, "198.51.100.9", at, secret_key) is None


async def test_a_lock_says_until_when_in_vietnam_time(app):
    """The refusal a locked-out person reads names the minute the lock ends, in Vietnam's time."""
    start = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)
    for _ in range(SIGN_IN_PER_ADDRESS.max_failures):
        await reserve_attempt(SIGN_IN_PER_ADDRESS, "198.51.100.77", start)
    with pytest.raises(LockedOut) as locked:
        await reserve_attempt(SIGN_IN_PER_ADDRESS, "198.51.100.77", start)
    assert locked.value.until == start + SIGN_IN_PER_ADDRESS.lockout
    assert "01/11/2026 15:15" in translator("vi").problem(locked.value.problem)
    assert str(locked.value) == "2026-11-01T08:15:00+00:00"
    # Not a moment longer: from the minute it names, attempts are checked again.
    await reserve_attempt(SIGN_IN_PER_ADDRESS, "198.51.100.77", locked.value.until)
