"""The hourly allowances (workflows.access.limits) at their edges: what one network is, the
hour's end, a server whose clock is set to Vietnam's time, the refusal's words and the daily
purge. On both databases: the counting SQL is written for each.

Mutants left alive on purpose (mutmut, README "Mutation testing"): the "could not count after
three tries" error's wording (reached only when three other requests win three races in a
row); the 100-character cap on an address that is not one being 101, or the key's 300 being
301 (no key reaches its column's 300 either way); and a given time turned into the server's
local zone instead of UTC (every time the limiter is given is already aware, and compares
the same in any zone)."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator

import pytest

from workflows.access.limits import (
    TOO_MANY_REPORTS,
    WINDOW,
    Allowances,
    RateLimited,
    network,
    purge_stale,
    spend,
    wide_network,
)
from workflows.access.models import LoginThrottle, RateCounter
from workflows.i18n.translations import translator

START = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)


@pytest.fixture
def vietnam_clock() -> Iterator[None]:
    """The server's local time set to Vietnam's, as an installation in the province often is."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Ho_Chi_Minh"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_one_subscriber_and_one_site_are_counted_as_one_network() -> None:
    assert network("198.51.100.7") == "198.51.100.7"
    # A phone on an IPv4-in-IPv6 address is the IPv4 address it carries.
    assert network("::ffff:198.51.100.7") == "198.51.100.7"
    assert network("2001:db8:1:2:aaaa::1") == network("2001:db8:1:2:ffff::9") \
        == "2001:db8:1:2::/64"
    assert network("2001:db8:1:3::1") != network("2001:db8:1:2::1")
    assert wide_network("2001:db8:1:2::1") == wide_network("2001:db8:1:ffff::1") \
        == "2001:db8:1::/48"
    assert wide_network("198.51.100.7") == wide_network("::ffff:198.51.100.200") \
        == "198.51.100.0/24"
    # What is not an address (a socket's name behind a proxy, a registered client) counts as
    # itself, short enough for every counter's key.
    assert network("client:17") == "client:17"
    assert network("x" * 500) == "x" * 100 == wide_network("x" * 500)


async def test_the_hour_ends_exactly_an_hour_after_the_first_request(app) -> None:
    allowance = Allowances.per_hour(2, 0).report
    await spend(allowance, "192.0.2.40", START)
    await spend(allowance, "192.0.2.40", START + dt.timedelta(minutes=30))
    with pytest.raises(RateLimited) as refused:
        await spend(allowance, "192.0.2.40", START + WINDOW - dt.timedelta(seconds=1))
    assert refused.value.retry_at == START + WINDOW
    # A new hour begins with this request, counted as its first: one more is let in.
    await spend(allowance, "192.0.2.40", START + WINDOW)
    await spend(allowance, "192.0.2.40", START + WINDOW + dt.timedelta(minutes=1))
    with pytest.raises(RateLimited) as again:
        await spend(allowance, "192.0.2.40", START + WINDOW + dt.timedelta(minutes=2))
    assert again.value.retry_at == START + 2 * WINDOW


async def test_a_refusal_says_when_in_vietnam_time(app) -> None:
    allowance = Allowances.per_hour(1, 0).report
    await spend(allowance, "192.0.2.41", START)
    with pytest.raises(RateLimited) as refused:
        await spend(allowance, "192.0.2.41", START + dt.timedelta(minutes=5))
    assert refused.value.problem.message == TOO_MANY_REPORTS
    said = translator("vi").problem(refused.value.problem)
    assert "01/11/2026 16:00" in said  # 09:00 UTC
    assert str(refused.value) == "2026-11-01T09:00:00+00:00"


async def test_counting_holds_on_a_server_set_to_vietnam_time(app, vietnam_clock) -> None:
    allowance = Allowances.per_hour(2, 0).report
    await spend(allowance, "192.0.2.42")
    await spend(allowance, "192.0.2.42")
    with pytest.raises(RateLimited) as refused:
        await spend(allowance, "192.0.2.42")
    now = dt.datetime.now(dt.UTC)
    assert now < refused.value.retry_at <= now + WINDOW


async def test_clients_are_unlimited_unless_their_allowance_is_set(app) -> None:
    unset = Allowances.per_hour(1, 1).client_report
    for _ in range(3):
        await spend(unset, "client:4", START)
    one = Allowances.per_hour(1, 1, client_reports=1).client_report
    await spend(one, "client:5", START)
    with pytest.raises(RateLimited):
        await spend(one, "client:5", START)


async def test_a_long_odd_address_is_counted_within_its_key(app) -> None:
    allowance = Allowances.per_hour(1, 0).report
    await spend(allowance, "proxy-" + "y" * 400, START)
    with pytest.raises(RateLimited):
        await spend(allowance, "proxy-" + "y" * 400, START)
    [key] = await RateCounter.all().values_list("key", flat=True)
    assert len(key) <= 300


async def test_the_daily_purge_forgets_only_what_is_over(app) -> None:
    now = dt.datetime.now(dt.UTC)
    day = dt.timedelta(days=1)
    for key, began in (("report:old", now - day - dt.timedelta(minutes=1)),
                       ("report:today", now - day + dt.timedelta(minutes=5)),
                       ("report:now", now)):
        await RateCounter.create(key=key, window_start=began, hits=3)
    for key, began, locked in (
            ("ip:old-unlocked", now - 2 * day, None),
            ("ip:old-lock-over", now - 2 * day, now - day - dt.timedelta(minutes=1)),
            # Counted long ago, but still locked (a lock may outlast its window).
            ("ip:old-still-locked", now - 2 * day, now + dt.timedelta(minutes=10)),
            ("ip:old-lock-ended-today", now - 2 * day, now - dt.timedelta(hours=2)),
            ("ip:recent", now - dt.timedelta(hours=3), None)):
        await LoginThrottle.create(key=key, window_start=began, failures=1, locked_until=locked)
    assert await purge_stale() == 3  # both kinds counted
    assert set(await RateCounter.all().values_list("key", flat=True)) == {
        "report:today", "report:now"}
    assert set(await LoginThrottle.all().values_list("key", flat=True)) == {
        "ip:old-still-locked", "ip:old-lock-ended-today", "ip:recent"}


async def test_the_purge_reads_the_time_in_utc_on_a_server_set_to_vietnam_time(
        app, vietnam_clock) -> None:
    now = dt.datetime.now(dt.UTC)
    await RateCounter.create(key="report:kept", window_start=now - dt.timedelta(hours=20),
                             hits=1)
    await RateCounter.create(key="report:gone", window_start=now - dt.timedelta(hours=30),
                             hits=1)
    assert await purge_stale() == 1
    assert await RateCounter.all().values_list("key", flat=True) == ["report:kept"]
