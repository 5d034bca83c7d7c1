"""The outside security test's lesser findings, each shown closed with its siblings: security
events in the audit trail, stored files named by their content, numbers and dates bounded,
tracking codes not testable for free, sign-out that says when it did not sign out, and
direction overrides refused."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import browser
from tests.helpers import VALID_REPORT, csrf_token, jpeg_with_gps, one_page_pdf, post_report
from tests.intake.conftest import ACCOUNTS, PASSWORD, sign_in
from tests.intake.public.test_pages import file_and_read_receipt
from workflows.access.accounts import set_active
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case, CaseNote

RLO = "\u202e"
HUGE = "1" * 4301
# A PDF that is also an HTML page (its page's drawing instructions, uncompressed, hold the
# markup): a valid PDF, so it is accepted, but opened as .html a browser runs the script.
HTML_PDF = one_page_pdf(b"<html><script>alert(1)</script></html>", compress_streams=False)


async def test_security_events_are_in_the_audit_trail_without_passwords(client, app, accounts):
    await post_report(client, files=[("tem.jpg", jpeg_with_gps(), "image/jpeg")])
    case = await Case.get()
    attachment = await Attachment.get()
    assert (await sign_in(client, "officer", password="sai-mật-khẩu-đây")).status_code == 400
    await sign_in(client, "officer")
    await client.get(f"/staff/cases/{case.tracking_code}")
    await client.get(f"/staff/cases/{case.tracking_code}/attachments/{attachment.id}")
    token = await csrf_token(client, "/staff/queue")
    await client.post("/staff/logout", data={"csrf_token": token})
    await sign_in(client, "officer", password="khong-co-tai-khoan")
    await set_active(ACCOUNTS["khcn"][0], False)
    await set_active(ACCOUNTS["khcn"][0], True)
    events = await AuditEvent.all().order_by("seq")
    actions = [event.action for event in events]
    for action in ("account_created", "sign_in_refused", "signed_in", "case_viewed",
                   "evidence_downloaded", "signed_out", "account_disabled", "account_enabled"):
        assert action in actions, action
    viewed = next(e for e in events if e.action == "case_viewed")
    assert viewed.case_id == case.id and viewed.after["address"] == "127.0.0.1"  # type: ignore[attr-defined]
    trail = json.dumps([[e.actor_type, e.actor_id, e.after, e.reason] for e in events],
                       ensure_ascii=False)
    for secret in (PASSWORD, "sai-mật-khẩu-đây", "khong-co-tai-khoan"):
        assert secret not in trail


@pytest.mark.parametrize("called", ["invoice.html", "hoa-don.htm", "trang.svg", "a.pdf.exe"])
async def test_a_stored_file_is_named_by_what_it_is(client, accounts, called):
    assert (await post_report(client, files=[(called, HTML_PDF, "text/html")])).status_code == 303
    attachment = await Attachment.get()
    assert attachment.original_name.endswith(".pdf")
    await sign_in(client, "officer")
    case = await Case.get()
    served = await client.get(f"/staff/cases/{case.tracking_code}/attachments/{attachment.id}")
    disposition = served.headers["content-disposition"]
    assert disposition.startswith("attachment;") and re.search(r"\.pdf\"?$", disposition)
    assert ".htm" not in disposition and ".svg" not in disposition and ".exe" not in disposition


async def test_huge_numbers_and_dates_get_a_message_never_a_500(app, accounts):
    async with browser(app, raise_app_exceptions=False) as client:
        for field in ("quantity", "price_vnd"):
            answer = await post_report(client, {**VALID_REPORT, field: HUGE})
            assert answer.status_code == 400 and f'id="{field}-error"' in answer.text
            padded = await post_report(client, {**VALID_REPORT, field: "0" * 5000 + "2"})
            assert padded.status_code in (303, 400)
        api = await client.post("/open311/v2/requests.json", data={
            "service_code": "counterfeit", "description": VALID_REPORT["description"],
            "lat": "12.24", "long": "109.19",
            "attribute[product_name]": "x", "attribute[product_group]": "food",
            "attribute[channel]": "market", "attribute[quantity]": HUGE})
        assert api.status_code == 400
        big_body = await client.post("/report", headers={"content-length": HUGE}, content=b"")
        assert big_body.status_code in (400, 413)
        await sign_in(client, "officer")
        for query in ({"from": "0001-01-01", "to": "9999-12-31"}, {"period": "0001"},
                      {"period": "9999-Q4"}):
            page = await client.get("/staff/stats", params=query)
            assert page.status_code == 200 and 'class="error"' in page.text, query
            download = await client.get("/staff/stats/export", params={**query, "format": "csv"})
            assert download.status_code == 400
        assert (await client.get(f"/staff/cases/AAAAAAAAAA/attachments/{HUGE}")).status_code == 404
        assert (await client.get("/staff/queue", params={"page": HUGE})).status_code == 200


async def test_tracking_codes_cannot_be_tested_for_free(settings):
    from dataclasses import replace

    from tests.conftest import running_app
    async with running_app(replace(settings, track_rate_limit=4)) as app:
        async with browser(app) as reporter:
            code, pin, _ = await file_and_read_receipt(reporter)
        async with browser(app, client=("203.0.113.50", 4000)) as stranger:
            token = await csrf_token(stranger, "/track")
            unknown = await stranger.post("/track/access", data={
                "code": "ZZZZZ-ZZZZZ", "pin": "12345678", "csrf_token": token})
            wrong = await stranger.post("/track/access", data={
                "code": code, "pin": "12345678", "csrf_token": token})
            # The same answer whether the code exists or not.
            assert unknown.status_code == wrong.status_code == 403
            assert (await stranger.get(f"/receipt/{code}")).status_code == 200
            assert (await stranger.get("/receipt/ZZZZZZZZZZ")).status_code == 404
            # Four look-ups an hour from this address: the fifth of any kind is refused.
            for refused in (await stranger.get(f"/receipt/{code}"),
                            await stranger.post("/track/access", data={
                                "code": code, "pin": pin, "csrf_token": token}),
                            await stranger.get("/track", params={"code": code})):
                assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


async def test_sign_out_without_a_valid_form_says_it_did_not(client, accounts):
    await sign_in(client, "officer")
    refused = await client.post("/staff/logout", data={"csrf_token": "giả-mạo"})
    assert refused.status_code == 400 and "Bạn vẫn đang đăng nhập" in refused.text
    assert (await client.get("/staff/queue")).status_code == 200  # still signed in, as it said
    token = re.search(r'name="csrf_token" value="([^"]+)"', refused.text).group(1)  # type: ignore[union-attr]
    assert (await client.post("/staff/logout", data={"csrf_token": token})).status_code == 303
    assert (await client.get("/staff/queue")).status_code == 303  # now signed out


@pytest.mark.parametrize("field", ["shop_name", "product_name", "brand", "description",
                                   "reporter_name"])
async def test_direction_overrides_are_refused_in_every_text_field(client, field):
    fields = {**VALID_REPORT, field: f"Sạp số 12 {RLO}gpj.exe", "consent": "1"}
    answer = await post_report(client, fields)
    assert answer.status_code == 400 and f'id="{field}-error"' in answer.text
    assert not await Case.exists()


async def test_direction_overrides_are_dropped_from_file_names_and_refused_in_staff_text(
        client, accounts):
    assert (await post_report(client, files=[(f"anh{RLO}gpj.exe", jpeg_with_gps(),
                                              "image/jpeg")])).status_code == 303
    attachment = await Attachment.get()
    assert RLO not in attachment.original_name and attachment.original_name.endswith(".jpg")
    await sign_in(client, "officer")
    case = await Case.get()
    token = await csrf_token(client, f"/staff/cases/{case.tracking_code}")
    note = await client.post(f"/staff/cases/{case.tracking_code}/notes",
                             data={"body": f"Ghi chú {RLO}ẩn", "csrf_token": token})
    assert note.status_code == 400
    reject = await client.post(f"/staff/cases/{case.tracking_code}/actions", data={
        "action": "reject", "version": str(case.version), "reason": f"Tin rác {RLO}",
        "csrf_token": token})
    assert reject.status_code == 400 and (await Case.get()).status == "received"


@pytest.mark.parametrize("url", ["http://[::1", "https://[zz]/x", "http://shop.vn:99999/"])
async def test_a_link_the_url_parser_refuses_gets_a_message_never_a_500(client, url):
    """Third pass: "http://[::1" answered 500 on the form, the offer and Open311."""
    online = {**VALID_REPORT, "sales_channel": "online", "online_url": url, "join_case": "new"}
    filed = await post_report(client, online)
    assert filed.status_code == 400 and 'id="online_url-error"' in filed.text
    assert "không đọc được địa chỉ web" in filed.text.lower()
    token = await csrf_token(client)
    offer = await client.post("/report/similar", data={"csrf_token": token, **online})
    assert offer.status_code == 200 and 'name="join_case"' not in offer.text
    api = await client.post("/open311/v2/requests.json", data={
        "service_code": "counterfeit", "description": VALID_REPORT["description"],
        "lat": "12.24", "long": "109.19", "attribute[product_name]": "Nước mắm",
        "attribute[product_group]": "food", "attribute[channel]": "online",
        "attribute[url]": url})
    assert api.status_code == 400 and "attribute[url]" in api.text
    assert not await Case.exists()


async def test_a_planted_csrf_cookie_and_token_open_no_staff_form(client, app, accounts):
    """Fourth pass: a CSRF cookie and token taken from an anonymous visit to /report, planted
    in an officer's browser (a sibling subdomain, plain http), let a note be written on a case
    once the officer signed in. Tokens are bound to the sign-in: that one, and one made under
    an earlier sign-in, are refused; the officer's own form still works."""
    assert (await post_report(client)).status_code == 303
    code = (await Case.get()).tracking_code
    async with browser(app) as attacker:
        planted_token = await csrf_token(attacker, "/report")
        planted_cookie = attacker.cookies["intake_csrf"]
    client.cookies.set("intake_csrf", planted_cookie)
    await sign_in(client, "officer")
    earlier_token = await csrf_token(client, f"/staff/cases/{code}")
    for token in (planted_token, earlier_token):
        if token is earlier_token:  # signed out and in again: a new sign-in
            await client.post("/staff/logout", data={"csrf_token": token})
            await sign_in(client, "officer")
        refused = await client.post(f"/staff/cases/{code}/notes",
                                    data={"body": "Ghi chú giả mạo", "csrf_token": token})
        assert refused.status_code in (400, 403)
    own = await csrf_token(client, f"/staff/cases/{code}")
    written = await client.post(f"/staff/cases/{code}/notes",
                                data={"body": "Ghi chú thật", "csrf_token": own})
    assert written.status_code == 303
    assert await CaseNote.all().values_list("body", flat=True) == ["Ghi chú thật"]
