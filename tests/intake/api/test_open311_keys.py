"""Registered clients and their keys, and retries that must not make a second case."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import uuid

import pytest

from tests.conftest import browser, running_app
from tests.helpers import ENGLISH, jpeg_with_gps
from tests.intake.api.test_open311 import API_REPORT
from workflows.access.api_clients import register_client, revoke_client
from workflows.audit.models import AuditEvent
from workflows.cases.models import Case, FilingKey

ANONYMOUS_REPORT = {name: value for name, value in API_REPORT.items()
                    if name not in ("first_name", "last_name", "phone", "attribute[consent]")}
FIXMYSTREET = {**ANONYMOUS_REPORT, "email": "nguoi.dung@example.org", "first_name": "Lê",
               "last_name": "Thu", "phone": "0901234567", "jurisdiction_id": "khanhhoa.gov.vn",
               "attribute[title]": "Thuốc lá lậu ở chợ", "attribute[fixmystreet_id]": "4711",
               "media_url": "https://fms.example.org/photo/4711.jpeg"}


DOCUMENTS = ("/open311/v2/services.json", "/open311/v2/services/counterfeit.xml",
             "/open311/discovery.json", "/open311/v2/discovery.xml", "/open311/v2/openapi.json")


async def test_a_wrong_or_revoked_key_is_a_403_and_stores_nothing(client):
    client_row, key = await register_client("FixMyStreet Khánh Hòa")
    for wrong in ("intake_not-a-key", key[:-1], "x" * 5000):
        refused = await client.post("/open311/v2/requests.json", data={**API_REPORT,
                                                                         "api_key": wrong})
        assert refused.status_code == 403
        assert refused.json() == [{"code": 403, "description":
                                   "api_key: api_key này không có trong hệ thống hoặc đã bị "
                                   "thu hồi."}]
        assert (await client.get("/open311/v2/requests.xml",
                                 params={"api_key": wrong})).status_code == 403
        # The services and documents too: a client learns of its wrong key at its first request.
        for path in DOCUMENTS:
            assert (await client.get(path, params={"api_key": wrong})).status_code == 403
            assert (await client.get(path, headers={"X-Api-Key": wrong})).status_code == 403
    for path in DOCUMENTS:
        assert (await client.get(path, params={"api_key": key})).status_code == 200
        assert (await client.get(path)).status_code == 200
    assert (await client.post("/open311/v2/requests.json",
                              data={**API_REPORT, "api_key": key})).status_code == 201
    await revoke_client(client_row.name)
    assert (await client.post("/open311/v2/requests.json",
                              data={**API_REPORT, "api_key": key})).status_code == 403
    assert await Case.all().count() == 1


async def test_a_client_that_collects_consent_passes_contact_details_and_is_named(client):
    _, key = await register_client("FixMyStreet Khánh Hòa", collects_consent=True)
    filed = await client.post("/open311/v2/requests.xml", data={**FIXMYSTREET, "api_key": key})
    assert filed.status_code == 201, filed.text
    case = await Case.get()
    assert (case.reporter_name, case.reporter_email, case.reporter_phone, case.consent) == (
        "Lê Thu", "nguoi.dung@example.org", "0901234567", True)
    # What has no field here is kept for staff, never refused; nothing of it is published.
    assert case.extra_attributes == {"title": "Thuốc lá lậu ở chợ", "fixmystreet_id": "4711",
                                     "media_url": "https://fms.example.org/photo/4711.jpeg"}
    [status] = (await client.get(f"/open311/v2/requests/{case.tracking_code}.json")).json()
    assert "4711" not in str(status) and "Lê" not in str(status)
    created = await AuditEvent.get(case_id=case.id, action="created")
    assert created.actor_type == "client" and created.actor_id.isdigit()

    # Without that registration, contact details still need the reporter's own consent: the
    # report is filed without them, and the answer says so (XML and JSON) naming the flag.
    _, plain = await register_client("Ứng dụng Phản ánh")
    for path, key in (("/open311/v2/requests.json", plain), ("/open311/v2/requests.xml", plain),
                      ("/open311/v2/requests.json", None)):
        sent = {**FIXMYSTREET, "title": f"{path} {key}", **({"api_key": key} if key else {})}
        filed = await client.post(path, data=sent, headers=ENGLISH)
        assert filed.status_code == 201, filed.text
        assert "--collects-consent" in filed.text and "not stored" in filed.text
        code = re.search(r"<service_request_id>([^<]+)<|\"service_request_id\": ?\"([^\"]+)\"",
                         filed.text)
        kept = await Case.get(tracking_code=code.group(1) or code.group(2))
        assert (kept.reporter_name, kept.reporter_email, kept.reporter_phone, kept.consent) == (
            "", "", "", False)
        assert "nguoi.dung@example.org" not in str(kept.extra_attributes)


async def test_the_case_page_names_the_client_and_shows_what_it_sent(client, app, accounts):
    from tests.intake.conftest import sign_in

    _, key = await register_client("FixMyStreet Khánh Hòa", collects_consent=True)
    await client.post("/open311/v2/requests.json", data={**FIXMYSTREET, "api_key": key})
    case = await Case.get()
    async with browser(app) as officer:
        await sign_in(officer, "officer")
        page = (await officer.get(f"/staff/cases/{case.tracking_code}")).text
    assert "Người phản ánh, qua FixMyStreet Khánh Hòa" in page
    assert "Ứng dụng gửi kèm" in page and "Thuốc lá lậu ở chợ" in page


async def test_a_keyed_client_is_limited_per_client_not_per_address(settings):
    limited = dataclasses.replace(settings, report_rate_limit=1, api_client_rate_limit=2)
    async with running_app(limited) as app, browser(app) as http:
        _, key = await register_client("Ứng dụng A")
        _, own = await register_client("Ứng dụng B", reports_per_hour=3)
        codes = set()
        for index in range(2):
            filed = await http.post("/open311/v2/requests.json", data={
                **API_REPORT, "api_key": key, "description": f"{API_REPORT['description']} {index}"})
            assert filed.status_code == 201
            codes.add(filed.json()[0]["service_request_id"])
        third = await http.post("/open311/v2/requests.json", data={**API_REPORT, "api_key": key,
                                                                    "description": "x" * 20})
        assert third.status_code == 429 and int(third.headers["retry-after"]) > 0
        assert "Ứng dụng này đã gửi quá nhiều phản ánh" in third.json()[0]["description"]
        for index in range(3):  # its own allowance, and the address's is not touched
            assert (await http.post("/open311/v2/requests.json", data={
                **API_REPORT, "api_key": own, "description": f"{'y' * 20} {index}"})).status_code == 201
        assert (await http.post("/open311/v2/requests.json", data=API_REPORT)).status_code == 201
        assert (await http.post("/open311/v2/requests.json", data={
            **API_REPORT, "description": "z" * 20})).status_code == 429


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer(client, fmt):
    key = str(uuid.uuid4())
    first = await client.post(f"/open311/v2/requests.{fmt}", data=API_REPORT,
                              headers={"idempotency-key": key})
    again = await client.post(f"/open311/v2/requests.{fmt}", data=API_REPORT,
                              headers={"idempotency-key": f'"{key}"'})
    assert first.status_code == again.status_code == 201
    assert again.content == first.content  # the same id and the same PIN
    assert again.headers["idempotent-replayed"] == "true"
    assert await Case.all().count() == 1
    other = await client.post(f"/open311/v2/requests.{fmt}",
                              data={**API_REPORT, "description": "Một phản ánh khác hẳn."},
                              headers={"idempotency-key": key})
    assert other.status_code == 422
    fresh = await client.post(f"/open311/v2/requests.{fmt}", data=API_REPORT,
                              headers={"idempotency-key": str(uuid.uuid4())})
    assert fresh.status_code == 201 and await Case.all().count() == 2
    for bad in ("", "x" * 300, "khóa"):
        assert (await client.post(f"/open311/v2/requests.{fmt}", data=API_REPORT,
                                  headers={"idempotency-key": bad.encode()})).status_code == 400


async def test_a_keyed_client_s_resend_of_the_same_report_is_the_same_case(client):
    _, key = await register_client("FixMyStreet Khánh Hòa", collects_consent=True)
    answers = [await client.post("/open311/v2/requests.json", data={**FIXMYSTREET, "api_key": key})
               for _ in range(3)]
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.json()[0]["service_request_id"] for answer in answers}) == 1
    assert await Case.all().count() == 1
    # Two people may send the same words through one app: a match by content never hands
    # out the first one's PIN.
    assert answers[0].json()[0]["pin"] and [a.json()[0]["pin"] for a in answers[1:]] == [None] * 2
    changed = await client.post("/open311/v2/requests.json", data={
        **FIXMYSTREET, "api_key": key, "attribute[title]": "Một báo cáo khác"})
    assert changed.status_code == 201
    assert changed.json()[0]["service_request_id"] != answers[0].json()[0]["service_request_id"]
    # The same content from anyone without a key is another person's report.
    assert (await client.post("/open311/v2/requests.json", data=API_REPORT)).status_code == 201
    assert (await client.post("/open311/v2/requests.json", data=API_REPORT)).status_code == 201
    assert await Case.all().count() == 4


async def test_twins_sent_at_the_same_moment_make_one_case(client):
    key = str(uuid.uuid4())
    answers = await asyncio.gather(*(
        client.post("/open311/v2/requests.json", data=API_REPORT, headers={"idempotency-key": key})
        for _ in range(6)))
    assert {answer.status_code for answer in answers} == {201}, [a.text for a in answers]
    assert len({answer.json()[0]["service_request_id"] for answer in answers}) == 1
    assert await Case.all().count() == 1 and await FilingKey.all().count() == 1
    assert await AuditEvent.filter(action="created").count() == 1


async def test_an_idempotency_key_is_no_password_for_another_network(app, client):
    key = str(uuid.uuid4())
    first = await client.post("/open311/v2/requests.json", data=API_REPORT,
                              headers={"idempotency-key": key})
    answers = []
    for stranger, data in ((("198.51.100.7", 4000), {**API_REPORT, "description": "Một nội dung khác hẳn."}),
                           (("203.0.113.9", 4000), API_REPORT)):
        async with browser(app, client=stranger) as other_network:
            answers.append(await other_network.post("/open311/v2/requests.json", data=data,
                                                    headers={"idempotency-key": key}))
    # Neither learns the key is taken (no 422), nor gets the first report's code and PIN.
    assert [answer.status_code for answer in answers] == [201, 201]
    codes = {answer.json()[0]["service_request_id"] for answer in (first, *answers)}
    assert len(codes) == 3 and first.json()[0]["pin"] not in "".join(a.text for a in answers)


async def test_a_retry_is_the_same_request_to_its_last_field_and_file_byte(client):
    key = str(uuid.uuid4())
    # A field a client's own (kept for staff) may come twice: its values are one text.
    repeated = {**API_REPORT, "attribute[ghi_chu]": ["Lần một", "Lần hai"]}
    first = await client.post("/open311/v2/requests.json", data=repeated,
                              headers={"idempotency-key": key},
                              files=[("media", ("tem.jpg", jpeg_with_gps(), "image/jpeg"))])
    assert first.status_code == 201, first.text
    other_first_value = {**API_REPORT, "attribute[ghi_chu]": ["Khác hẳn", "Lần hai"]}
    changed_text = await client.post("/open311/v2/requests.json", data=other_first_value,
                                     headers={"idempotency-key": key},
                                     files=[("media", ("tem.jpg", jpeg_with_gps(), "image/jpeg"))])
    changed_photo = await client.post("/open311/v2/requests.json", data=repeated,
                                      headers={"idempotency-key": key},
                                      files=[("media", ("tem.jpg", jpeg_with_gps(80), "image/jpeg"))])
    assert changed_text.status_code == changed_photo.status_code == 422
    again = await client.post("/open311/v2/requests.json", data=repeated,
                              headers={"idempotency-key": key},
                              files=[("media", ("tem.jpg", jpeg_with_gps(), "image/jpeg"))])
    assert again.status_code == 201 and again.content == first.content


async def test_keys_come_in_a_header_too_and_two_keys_name_nobody(client):
    _, key = await register_client("Ứng dụng A")
    _, other = await register_client("Ứng dụng B")
    assert (await client.get("/open311/v2/requests.json",
                             headers={"x-api-key": key})).status_code == 200
    for first, status in ((key, 200), ("sai", 403)):
        answer = await client.get("/open311/v2/requests.json", params={"api_key": [first, ""]})
        assert answer.status_code == status
    two = await client.get("/open311/v2/requests.json", params={"api_key": key},
                           headers={"x-api-key": other})
    assert two.status_code == 403
    posted = await client.post("/open311/v2/requests.json",
                               data={**API_REPORT, "api_key": ["", "sai"]})
    assert posted.status_code == 403 and await Case.all().count() == 0


async def test_contact_details_cannot_slip_in_as_unknown_attributes(client):
    _, key = await register_client("Ứng dụng không hỏi đồng ý")
    filed = await client.post("/open311/v2/requests.json", data={
        **ANONYMOUS_REPORT, "api_key": key, "attribute[email]": "nan.nhan@example.vn",
        "attribute[so_dien_thoai]": "0912 345 678", "attribute[ho_ten]": "Nguyễn Văn A",
        "attribute[ghi_chu]": "gọi cho tôi: +84 912 345 678", "attribute[title]": "Rượu giả"})
    assert filed.status_code == 201, filed.text
    case = await Case.get()
    assert case.extra_attributes == {"title": "Rượu giả"}
    assert not (case.reporter_email or case.reporter_phone or case.consent)
