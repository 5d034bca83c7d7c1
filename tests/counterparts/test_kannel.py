"""SMS to a reporter who left only a phone number, through a real Kannel (bearerbox + smsbox
run from the README's kannel.conf) to Kannel's fake SMSC, which prints what it received: the
receipt, the agency's question and the outcome, each with the link to the reporter's own page
and never the PIN; the gateway away for a while (nothing lost, nothing twice); the caps."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from starlette.applications import Starlette

from intake.settings import Settings
from intake.sms_settings import SmsSettings
from tests.conftest import browser, running_app
from tests.counterparts.kannel import Kannel
from tests.counterparts.kannel import kannel as kannel  # noqa: F401 (the fixture)
from tests.helpers import VALID_REPORT, post_report
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD
from tests.intake.public.test_pages import file_and_read_receipt
from tests.intake.test_conversation import post, staff
from tests.intake.test_reporter_link import forgot, opens
from tests.live import run_intake
from workflows.access.accounts import create_user
from workflows.cases.models import Case
from workflows.mail.kannel import KannelConfig
from workflows.mail.models import OutboxMessage
from workflows.mail.sms import SmsPolicy
from workflows.mail.sms_status import sms_status
from workflows.mail.sms_text import encoding, fold

PHONE_ONLY = {"reporter_name": "Trần Văn Tư", "reporter_phone": "+84 905 123 987",
              "consent": "1", "notify_sms": "1"}
NUMBER = "0905123987"  # as stored and sent, however it was typed
LINK = re.compile(r"http://testserver(/r/\S+)")


def sms_settings(settings: Settings, kannel: Kannel, **policy: object) -> Settings:
    return replace(settings, sms=SmsSettings(
        gateway=KannelConfig(url=kannel.sendsms_url, timeout_seconds=5),
        policy=SmsPolicy(**policy)), outbox_poll_seconds=0.05)  # type: ignore[arg-type]


@pytest.fixture
async def sms_app(settings: Settings, kannel: Kannel) -> AsyncIterator[Starlette]:
    async with running_app(sms_settings(settings, kannel,
                                        per_number_daily=10)) as application:
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
        yield application


@pytest.fixture
async def client(sms_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A citizen's browser on the app that sends SMS."""
    async with browser(sms_app) as citizen:
        yield citizen


async def received(kannel: Kannel, count: int) -> list:
    await asyncio.to_thread(kannel.wait_for, count)
    return kannel.messages()


async def test_a_reporter_with_only_a_phone_gets_the_receipt_question_and_outcome_by_sms(
        client, sms_app, kannel):
    code, pin, _ = await file_and_read_receipt(client, {**VALID_REPORT, **PHONE_ONLY})
    [receipt] = await received(kannel, 1)
    assert receipt.to == NUMBER and receipt.sender == "SOCONGTHUONG"
    assert receipt.text.startswith(f"Phan anh {code[:5]}-{code[5:]} da duoc tiep nhan")
    assert pin not in receipt.text and receipt.text.isascii()  # no accents: GSM 7-bit
    link = LINK.search(receipt.text).group(1)
    page = await opens(sms_app, link)
    assert page.status_code == 200 and "Thoát" in page.text

    async with staff(sms_app, "qltt") as inspector:
        await post(inspector, code, "/replies", action="message", kind="question",
                   body="Bạn mua ở quầy nào, lúc mấy giờ?")
    question = (await received(kannel, 2))[1]
    assert "Ban mua o quay nao, luc may gio?" in question.text and LINK.search(question.text)

    await Case.filter(tracking_code=code).update(status="assigned")
    async with staff(sms_app, "qltt_lead") as lead:
        await post(lead, code, action="start")
        await post(lead, code, action="resolve", outcome="violation_confirmed",
                   public_outcome="Đã xử phạt sạp số 12.")
    outcome = (await received(kannel, 3))[2]
    assert "da co ket qua: Da xu phat sap so 12." in outcome.text
    assert "hai long" in outcome.text and LINK.search(outcome.text)
    # No mail was queued: the reporter left no address. Each SMS went once.
    assert not await OutboxMessage.filter(channel="mail", kind__in=(
        "citizen_ack", "question_notice", "resolution_notice")).exists()
    await asyncio.sleep(0.5)
    assert len(kannel.messages()) == 3


async def test_no_sms_unless_asked_for_and_only_to_a_vietnamese_mobile(client, sms_app, kannel):
    await file_and_read_receipt(client, {**VALID_REPORT, **PHONE_ONLY, "notify_sms": ""})
    assert not await OutboxMessage.filter(channel="sms").exists()
    for number, field in (("024 3825 1234", "reporter_phone"),  # a Hà Nội landline
                          ("+33 6 12 34 56 78", "reporter_phone"),  # a French mobile
                          ("", "notify_sms")):
        refused = await post_report(client, {**VALID_REPORT, **PHONE_ONLY,
                                             "reporter_phone": number})
        assert refused.status_code == 400, number
        assert f'id="{field}-error"' in refused.text and "SMS" in refused.text
        assert 'name="notify_sms" type="checkbox" value="1" checked' in refused.text


async def test_the_gateway_away_for_a_while_loses_nothing_and_sends_nothing_twice(
        settings, kannel):
    kannel.stop_smsbox()
    down = replace(sms_settings(settings, kannel), outbox_first_retry_seconds=0.3)
    async with running_app(down) as application, browser(application) as client:
        codes = [(await file_and_read_receipt(client, {**VALID_REPORT, **PHONE_ONLY}))[0]
                 for _ in range(3)]
        async def retried() -> bool:
            return await OutboxMessage.filter(channel="sms", attempts__gte=2).count() == 3
        for _ in range(200):
            if await retried():
                break
            await asyncio.sleep(0.05)
        assert await retried()
        status = await sms_status()
        assert status.pending == 3 and status.sent == 0 and "ConnectError" in status.last_error
        assert "change-me-sms" not in status.last_error  # the password stays out
        kannel.start_smsbox()
        messages = await received(kannel, 3)
        for _ in range(100):
            if (await sms_status()).sent == 3:
                break
            await asyncio.sleep(0.05)
        assert (await sms_status()).sent == 3
        await asyncio.sleep(0.5)
    texts = [message.text for message in kannel.messages()]
    assert len(texts) == 3 and len(messages) == 3
    assert sorted(re.search(r"Phan anh (\S+)", text).group(1).replace("-", "")
                  for text in texts) == sorted(codes)


async def refused_by(cap: str) -> int:
    """How many messages `cap` refused, once the sender has refused one (in its own time)."""
    for _ in range(400):
        if refused := (await sms_status()).refused.get(cap, 0):
            return refused
        await asyncio.sleep(0.05)
    return 0


async def test_a_number_over_its_daily_cap_is_refused_and_counted_and_the_agency_still_texts(
        settings, kannel):
    capped = sms_settings(settings, kannel, per_number_daily=2)
    async with running_app(capped) as application, browser(application) as client:
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
        # The reporter, then a stranger filing twice with their number written otherwise.
        code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **PHONE_ONLY})
        for _ in range(2):
            await file_and_read_receipt(client, {**VALID_REPORT, **PHONE_ONLY,
                                                 "reporter_phone": "0905.123.987"})
        await received(kannel, 2)
        await refused_by("INTAKE_SMS_PER_NUMBER_DAILY")
        status = await sms_status()
        # The third case was filed all the same: a cap stops an SMS, never a report.
        assert await Case.all().count() == 3
        shown = await asyncio.to_thread(run_intake, "outbox", "status", env={
            "INTAKE_DATABASE_URL": settings.database_url,
            "INTAKE_DATA_DIR": str(settings.data_dir),
            "INTAKE_CONFIG_DIR": str(settings.config_dir)})
        # What staff cause is not what anyone can set off: the agency's question still goes.
        async with staff(application, "qltt") as inspector:
            await post(inspector, code, "/replies", action="message", kind="question",
                       body="Bạn mua lúc mấy giờ?")
        question = (await received(kannel, 3))[2]
    assert "Ban mua luc may gio?" in question.text
    assert "refused by a cap: 1 (1 by INTAKE_SMS_PER_NUMBER_DAILY)" in shown.stdout
    assert "sent: 2" in shown.stdout.split("sms:")[1] and "905" not in shown.stdout
    assert status.sent == 2 and status.refused == {"INTAKE_SMS_PER_NUMBER_DAILY": 1,
                                                   "INTAKE_SMS_MONTHLY_PARTS": 0,
                                                   "INTAKE_SMS_MAX_PARTS": 0}


async def test_the_monthly_budget_counts_parts_keeps_a_fifth_for_the_agencies_and_accents_take_more(
        settings, kannel):
    # Six parts: receipts (anyone can set one off) may use 4.8; the agency's messages all.
    budget = sms_settings(settings, kannel, monthly_parts=6, accents=True)
    async with running_app(budget) as application, browser(application) as client:
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
        code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, **PHONE_ONLY})
        [accented] = await received(kannel, 1)
        await file_and_read_receipt(client, {**VALID_REPORT, **PHONE_ONLY})
        refused_receipt = await refused_by("INTAKE_SMS_MONTHLY_PARTS")
        async with staff(application, "qltt") as inspector:
            await post(inspector, code, "/replies", action="message", kind="question",
                       body="Có hóa đơn không?")
        question = (await received(kannel, 2))[1]
        status = await sms_status()
    # With accents the receipt is UCS-2, 67 characters a part once split: three parts, where
    # folded it would have taken one.
    assert accented.text.startswith("Phản ánh") and "tiếp nhận" in accented.text
    assert encoding(accented.text).parts == 3 and encoding(fold(accented.text)).parts == 1
    assert refused_receipt == 1  # 3 + 3 > 4.8: the second receipt
    # The agency's question still goes, in the budget's last parts.
    assert question.text.startswith("Cơ quan chức năng hỏi") and "Có hóa đơn không?" in question.text
    assert status.parts_this_month == 3 + encoding(question.text).parts <= 6


async def test_forgot_pin_texts_the_link_to_the_phone_on_file_however_it_is_typed(
        client, sms_app, kannel):
    # A reporter who asked for no SMS, then lost the receipt: they ask for it now.
    code, pin, _ = await file_and_read_receipt(client, {**VALID_REPORT, **PHONE_ONLY,
                                                        "notify_sms": ""})
    for typed in ("+84 905 123 988", "84905123987"):  # another number, then theirs
        asked = await forgot(client, code, typed)
        assert asked.status_code == 200
    [sms] = await received(kannel, 1)
    assert sms.to == NUMBER and "khong can ma PIN" in sms.text and pin not in sms.text
    assert (await opens(sms_app, LINK.search(sms.text).group(1))).status_code == 200
    await asyncio.sleep(0.5)
    assert len(kannel.messages()) == 1  # nothing to the number that is not on file
