"""A citizen's update POSTed to servicerequestupdates, in XML and JSON, as FixMyStreet's
post_service_request_update sends it: only by the client that filed the report, once per
update id, under its key's allowance, never to a closed report, keeping nothing of the
person. (FixMyStreet's own Perl client does the same in tests/counterparts.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.helpers import ENGLISH
from tests.intake.api.test_open311_keys import FIXMYSTREET
from workflows.access.api_clients import register_client
from workflows.cases.models import Case, CaseMessage

UPDATE = {"update_id": "90211", "updated_datetime": "2026-12-05T03:04:05Z", "status": "OPEN",
          "description": "Quầy số 5 hôm nay vẫn bán, thêm thuốc lá điện tử không nhãn phụ.",
          "email": "nguoi.dung@example.org", "first_name": "Lê", "last_name": "Thu",
          "jurisdiction_id": "khanhhoa.gov.vn"}


def update_id_of(response) -> str:
    found = re.search(r"<update_id>([^<]+)</update_id>|\"update_id\": ?\"([^\"]+)\"",
                      response.text)
    assert found, response.text
    return found.group(1) or found.group(2)


async def filed_with(client, key: str, title: str = "Thuốc lá lậu ở chợ") -> str:
    filed = await client.post("/open311/v2/requests.json", data={
        **FIXMYSTREET, "api_key": key, "attribute[title]": title})
    assert filed.status_code == 201, filed.text
    return filed.json()[0]["service_request_id"]


@pytest.mark.parametrize("answer_format", ["xml", "json"])
async def test_the_filing_client_posts_an_update_once_and_it_joins_the_case(client,
                                                                           answer_format):
    _, key = await register_client("FixMyStreet Khánh Hòa", collects_consent=True)
    code = await filed_with(client, key)
    path = f"/open311/v2/servicerequestupdates.{answer_format}"
    sent = {**UPDATE, "service_request_id": code, "api_key": key,
            "media_url": "https://fms.example.org/photo/c/90211.full.jpeg"}
    posted = await client.post(path, data=sent)
    assert posted.status_code == 200, posted.text
    if answer_format == "xml":
        assert posted.text.count("<request_update>") == 1
    else:
        assert posted.json() == [{"update_id": update_id_of(posted)}]
    again = await client.post(path, data=sent)
    assert again.status_code == 200 and update_id_of(again) == update_id_of(posted)
    assert again.headers["idempotent-replayed"] == "true"
    # FixMyStreet's extended updates name the update update_id_ext: the same update.
    extended = {**{k: v for k, v in sent.items() if k != "update_id"}, "update_id_ext": "90211"}
    assert update_id_of(await client.post(path, data=extended)) == update_id_of(posted)
    case = await Case.get(tracking_code=code)
    [message] = await CaseMessage.filter(case_id=case.id, author="reporter")
    assert str(message.id) == update_id_of(posted) and message.kind == "addition"
    assert message.body.startswith(UPDATE["description"])
    assert "https://fms.example.org/photo/c/90211.full.jpeg" in message.body
    assert "Lê" not in message.body and "nguoi.dung" not in message.body
    # A second update is a second message; a photo alone is an update too.
    photo_only = await client.post(path, data={**sent, "update_id": "90212", "description": ""})
    assert photo_only.status_code == 200, photo_only.text
    assert await CaseMessage.filter(case_id=case.id, author="reporter").count() == 2


@pytest.mark.parametrize("answer_format", ["xml", "json"])
async def test_an_update_is_refused_with_the_field_named(client, answer_format):
    _, key = await register_client("FixMyStreet Khánh Hòa", collects_consent=True)
    _, other_key = await register_client("Ứng dụng khác")
    code = await filed_with(client, key)
    path = f"/open311/v2/servicerequestupdates.{answer_format}"
    sent = {**UPDATE, "service_request_id": code, "api_key": key}
    cases = (
        ({"api_key": ""}, 403, "api_key:"),
        ({"api_key": "intake_not-a-key"}, 403, "api_key:"),
        ({"api_key": other_key}, 404, "service_request_id:"),  # not its report: not named
        ({"service_request_id": "AAAAA-BBBBB"}, 404, "service_request_id:"),
        ({"update_id": ""}, 400, "update_id:"),
        ({"update_id": "x" * 65}, 400, "update_id:"),
        ({"update_id": "số-một"}, 400, "update_id:"),
        ({"description": "", "update_id": "7"}, 400, "description:"),
        ({"description": "?!…", "update_id": "8"}, 400, "description:"),
        ({"description": "Quá dài. " * 2000, "update_id": "9"}, 400, "description: At most"),
        ({"description": "", "media_url": "javascript:alert(1)", "update_id": "10"}, 400,
         "description:"),
    )
    for changed, status, named in cases:
        refused = await client.post(path, data={**sent, **changed}, headers=ENGLISH)
        assert refused.status_code == status, (changed, refused.text)
        assert named in refused.text, (changed, refused.text)
    assert await CaseMessage.filter(author="reporter").count() == 0
    # The same update id with other words, or for another report: refused, nothing lost.
    assert (await client.post(path, data=sent)).status_code == 200
    for changed in ({"description": "Lời khác hẳn."},
                    {"service_request_id": await filed_with(client, key, "Báo cáo khác")}):
        reused = await client.post(path, data={**sent, **changed}, headers=ENGLISH)
        assert reused.status_code == 422 and "update_id:" in reused.text, reused.text
    assert await CaseMessage.filter(author="reporter").count() == 1


async def test_a_strangers_comment_is_kept_for_staff_and_answers_no_question(client, app):
    """FixMyStreet posts every comment on its report, whoever wrote it: only the reporter's
    (their email, given with consent) answers the agency and resumes the case; another user's
    is kept for staff, never on the reporter's page; a closed report keeps both without
    reopening (FixMyStreet would send them again every half hour after a refusal)."""
    from workflows.cases.public_view import reporter_thread

    _, key = await register_client("FixMyStreet Khánh Hòa", collects_consent=True)
    code = await filed_with(client, key)
    await Case.filter(tracking_code=code).update(status="waiting",
                                                 paused_at=dt.datetime.now(dt.UTC))
    path = "/open311/v2/servicerequestupdates.xml"
    sent = {**UPDATE, "service_request_id": code, "api_key": key}
    stranger = await client.post(path, data={**sent, "update_id": "1",
                                             "email": "nguoi.khac@example.org"})
    assert stranger.status_code == 200, stranger.text
    case = await Case.get(tracking_code=code)
    assert case.status == "waiting" and case.new_info_at is None
    [comment] = await CaseMessage.filter(case_id=case.id)
    assert (comment.author, comment.kind) == ("app_user", "comment")
    assert comment.body not in [entry.body for entry in (await reporter_thread(case)).entries]
    # The reporter's own, however their address is written: it answers, and the case resumes.
    own = await client.post(path, data={**sent, "update_id": "2",
                                        "email": "Nguoi.Dung@Example.org",
                                        "description": "Tôi bổ sung: quầy số 5, dãy B."})
    assert own.status_code == 200, own.text
    case = await Case.get(tracking_code=code)
    assert case.status == "in_progress" and case.new_info_at is not None
    assert "Tôi bổ sung: quầy số 5, dãy B." in [
        entry.body for entry in (await reporter_thread(case)).entries]
    await Case.filter(id=case.id).update(status="closed")
    late = await client.post(path, data={**sent, "update_id": "3",
                                         "description": "Hôm nay quầy đã đóng cửa."})
    assert late.status_code == 200, late.text
    assert (await Case.get(id=case.id)).status == "closed"
    assert await CaseMessage.filter(case_id=case.id).count() == 3


async def test_updates_count_against_the_clients_own_allowance(client):
    _, key = await register_client("FixMyStreet Khánh Hòa", collects_consent=True,
                                   reports_per_hour=2)
    code = await filed_with(client, key)  # one of its two an hour
    path = "/open311/v2/servicerequestupdates.json"
    sent = {**UPDATE, "service_request_id": code, "api_key": key}
    assert (await client.post(path, data=sent)).status_code == 200
    assert (await client.post(path, data=sent)).status_code == 200  # a retry costs nothing
    refused = await client.post(path, data={**sent, "update_id": "2"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
