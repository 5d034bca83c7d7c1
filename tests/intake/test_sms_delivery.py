"""Kannel's delivery reports (`/sms/delivery/<token>`): only the gateway's addresses, only a
token Intake signed for that SMS, only Kannel's report types; a final report is never replaced
by an earlier stage arriving late. The end-to-end path (Kannel calling a running Intake) is in
tests/browser/test_sms.py."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from intake.sms_links import delivery_token
from tests.conftest import browser
from workflows.mail.models import OutboxMessage
from workflows.mail.sms import SmsPolicy, enqueue_sms, use_sms_policy
from workflows.mail.sms_text import encoding, fold


async def queued_sms() -> OutboxMessage:
    async with in_transaction() as connection:
        message = await enqueue_sms(connection, event_key="test:sms", kind="citizen_ack",
                                    phone="0905123987", text="Phản ánh đã được tiếp nhận")
    assert message is not None
    return message


async def test_only_the_gateway_reports_and_only_on_a_message_intake_signed(app, settings):
    message = await queued_sms()
    token = delivery_token(settings.secret_key, message.id)
    async with browser(app, client=("203.0.113.7", 4000)) as stranger:
        assert (await stranger.get(f"/sms/delivery/{token}?type=1")).status_code == 403
    async with browser(app) as gateway:  # 127.0.0.1, the default gateway address
        other = delivery_token("another-secret", message.id)
        assert (await gateway.get(f"/sms/delivery/{other}?type=1")).status_code == 404
        unknown = delivery_token(settings.secret_key, message.id + 1000)
        assert (await gateway.get(f"/sms/delivery/{unknown}?type=1")).status_code == 404
        for wrong in ("3", "", "%d", "-1", "1000"):
            assert (await gateway.get(f"/sms/delivery/{token}?type={wrong}")).status_code == 400
    assert (await OutboxMessage.get(id=message.id)).delivery == ""


async def test_a_final_report_stays_when_an_earlier_stage_arrives_late(app, settings):
    message = await queued_sms()
    token = delivery_token(settings.secret_key, message.id)
    async with browser(app) as gateway:
        for report, kept in (("8", "accepted"), ("1", "delivered"), ("8", "delivered"),
                             ("4", "delivered")):
            answer = await gateway.get(f"/sms/delivery/{token}?type={report}")
            assert answer.status_code == 200
            assert (await OutboxMessage.get(id=message.id)).delivery == kept


async def test_an_sms_is_stored_as_it_goes_on_the_air_and_counted_in_parts(app):
    message = await queued_sms()
    # Accents folded by default: plain GSM 7-bit, one part.
    assert message.body_text == fold("Phản ánh đã được tiếp nhận") == "Phan anh da duoc tiep nhan"
    assert message.sms_parts == encoding(message.body_text).parts == 1


async def test_a_numbers_daily_cap_counts_it_however_the_caller_wrote_it(app):
    use_sms_policy(SmsPolicy(per_number_daily=2))
    try:
        queued = []
        async with in_transaction() as connection:
            for n, written in enumerate(("+84905123987", "0905 123 987", "84905123987")):
                queued.append(await enqueue_sms(connection, event_key=f"test:cap:{n}",
                                                kind="citizen_ack", phone=written, text="x"))
        assert [message is not None for message in queued] == [True, True, False]
        assert {message.recipient for message in queued if message} == {"0905123987"}
    finally:
        use_sms_policy(SmsPolicy())
