"""The outside attacker's second pass, each finding shown closed with its siblings: digits from
other scripts in report periods, the first and last days reports cover, amounts past what a
column holds (tests/workflows/cases/test_transitions.py), control characters in what staff type into sign-in and filters, and addresses
that hide a second mailbox in an encoded word."""

from __future__ import annotations

import pytest

from tests.conftest import browser
from tests.helpers import REPORTER, VALID_REPORT, post_report
from tests.intake.conftest import sign_in
from workflows.cases.models import Case
from workflows.mail.addresses import NotAMailbox, mailbox

PERIODS_IN_OTHER_DIGITS = [
    {"period": "２０２６"},  # full-width
    {"period": "٢٠٢٦-٠٣"},  # Arabic-Indic
    {"period": "२०२६-Q1"},  # Devanagari
    {"from": "２０２６-01-01", "to": "2026-01-31"},
]


@pytest.mark.parametrize("query", PERIODS_IN_OTHER_DIGITS)
async def test_digits_of_other_scripts_in_a_period_get_a_message_not_a_500(app, accounts, query):
    async with browser(app, raise_app_exceptions=False) as client:
        await sign_in(client, "analyst")
        page = await client.get("/staff/stats", params=query)
        assert page.status_code == 200 and 'class="error"' in page.text
        download = await client.get("/staff/stats/export", params={**query, "format": "xlsx"})
        assert download.status_code == 400


async def test_the_first_and_last_days_reports_cover_are_reportable(client, accounts):
    await sign_in(client, "analyst")
    for query in ({"from": "2000-01-01", "to": "2000-01-02"}, {"period": "2100-12"},
                  {"period": "2001"}, {"period": "2100"}, {"from": "2100-12-30",
                                                           "to": "2100-12-31"}):
        page = await client.get("/staff/stats", params=query)
        assert page.status_code == 200 and 'class="error"' not in page.text, query
        download = await client.get("/staff/stats/export", params={**query, "format": "csv"})
        assert download.status_code == 200, query
    for query in ({"from": "1999-12-31", "to": "2000-01-02"}, {"period": "2101"},
                  {"period": "1999-12"}):
        assert (await client.get("/staff/stats/export",
                                 params={**query, "format": "csv"})).status_code == 400


@pytest.mark.parametrize("typed", ["can-bo\x00@tinh.gov.vn", "\x00", "a@b\x1b[2J", "\u2028"])
async def test_control_characters_in_what_staff_type_are_answered_not_crashed_on(
        app, accounts, typed):
    async with browser(app, raise_app_exceptions=False) as client:
        token_page = await client.get("/staff/login")
        token = token_page.text.split('name="csrf_token" value="')[1].split('"')[0]
        answer = await client.post("/staff/login", data={
            "email": typed, "password": "x", "csrf_token": token})
        assert answer.status_code == 400 and "không đúng" in answer.text
        await sign_in(client, "officer")
        for name in ("q", "agency", "status", "category", "commune"):
            queue = await client.get("/staff/queue", params={name: typed})
            assert queue.status_code == 200, name


async def test_bytes_that_are_not_utf_8_are_answered_not_crashed_on(app, accounts):
    async with browser(app, raise_app_exceptions=False) as client:
        token_page = await client.get("/staff/login")
        token = token_page.text.split('name="csrf_token" value="')[1].split('"')[0]
        answer = await client.post("/staff/login", content=(
            f"email=%ED%A0%80%FF&password=x&csrf_token={token}").encode(),
            headers={"content-type": "application/x-www-form-urlencoded"})
        assert answer.status_code == 400
        await sign_in(client, "officer")
        assert (await client.get("/staff/queue?q=%ED%A0%80%FF")).status_code == 200
        assert (await client.get("/staff/stats?period=%FF%FE")).status_code == 200


@pytest.mark.parametrize("typed", [
    "=?utf-8?q?attacker=40evil.example=3e?=@example.org",
    "=?iso-8859-1?b?YXR0YWNrZXJAZXZpbC5leGFtcGxl?=@example.org",
    "x=?utf-8?q?a?=y@example.org",
])
def test_an_encoded_word_cannot_hide_a_second_mailbox(typed):
    with pytest.raises(NotAMailbox):
        mailbox(typed)


async def test_an_encoded_word_address_is_refused_on_the_form(client):
    answer = await post_report(client, {**VALID_REPORT, **REPORTER, "reporter_email":
                                        "=?utf-8?q?a=40evil.example?=@example.org"})
    assert answer.status_code == 400 and 'id="reporter_email-error"' in answer.text
    assert not await Case.exists()
