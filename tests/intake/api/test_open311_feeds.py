"""The Open311 lists: service requests with the spec's filters, and the public updates feed a
FixMyStreet instance polls. Public fields only."""

from __future__ import annotations

import datetime as dt

from starlette.applications import Starlette

from tests.helpers import ENGLISH, post_report
from tests.intake.api.test_open311 import API_REPORT
from workflows.access.accounts import create_user
from workflows.access.models import StaffUser
from workflows.cases.conversation import add_public_reply
from workflows.cases.models import Case, CaseUpdate
from workflows.cases.transitions import ActionRequest, take_action
from workflows.i18n.formatting import VIETNAM


async def file(client, **fields: str) -> str:
    response = await client.post("/open311/v2/requests.json", data={**API_REPORT, **fields})
    assert response.status_code == 201, response.text
    return response.json()[0]["service_request_id"]


async def act(app: Starlette, user: StaffUser, code: str, action: str, **form: str) -> Case:
    context = app.state.intake
    case = await Case.get(tracking_code=code)
    return await take_action(case, user, ActionRequest(action, case.version, form),
                             context.reference, context.events)


async def lead(app: Starlette) -> StaffUser:
    return await create_user("truong-phong@qltt.gov.vn", "mật-khẩu-đủ-dài-1", "lead", "qltt",
                             set(app.state.intake.reference.agencies))


async def test_the_list_filters_as_the_spec_says_newest_first(client):
    smuggled = await file(client)
    counterfeit = await file(client, service_code="counterfeit")
    await post_report(client)  # from the web form: listed too
    everything = (await client.get("/open311/v2/requests.json")).json()
    assert len(everything) == 3 and everything[1]["service_request_id"] == counterfeit
    assert everything[2]["service_request_id"] == smuggled  # newest first

    only = (await client.get("/open311/v2/requests.json",
                             params={"service_code": "smuggled"})).json()
    assert [r["service_request_id"] for r in only] == [smuggled]
    both = (await client.get("/open311/v2/requests.json", params={
        "service_request_id": f"{smuggled},{counterfeit.lower()},NOT-A-CODE",
        "service_code": "labelling"})).json()  # ids override the other filters
    assert {r["service_request_id"] for r in both} == {smuggled, counterfeit}
    await Case.filter(tracking_code=smuggled).update(status="rejected")
    closed = (await client.get("/open311/v2/requests.json", params={"status": "closed"})).json()
    assert [r["service_request_id"] for r in closed] == [smuggled]
    assert len((await client.get("/open311/v2/requests.json",
                                 params={"status": "OPEN"})).json()) == 2


async def test_the_window_defaults_to_ninety_days_and_takes_w3c_datetimes(client):
    old, new = await file(client), await file(client)
    await Case.filter(tracking_code=old).update(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=100))
    listed = (await client.get("/open311/v2/requests.json")).json()
    assert [r["service_request_id"] for r in listed] == [new]
    for start in ("2000", "2000-01", "2000-01-01", "2000-01-01T00:00:00Z",
                  "2000-01-01T07:00:00+07:00", "2000-01-01T07:00:00 07:00"):  # "+" unencoded
        found = (await client.get("/open311/v2/requests.json", params={
            "start_date": start, "end_date": dt.datetime.now(dt.UTC).isoformat()})).json()
        assert {r["service_request_id"] for r in found} == {old, new}, start
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (await client.get("/open311/v2/requests.json",
                             params={"start_date": later})).json() == []


async def test_wrong_filters_are_named(client):
    for params, field in (({"start_date": "yesterday"}, "start_date"),
                          ({"end_date": "2026-13-45"}, "end_date"),
                          ({"start_date": "9999-01-01"}, "start_date"),
                          ({"start_date": "2" * 5000}, "start_date"),
                          ({"start_date": "2026-02-01", "end_date": "2026-01-01"}, "end_date"),
                          ({"status": "pending"}, "status")):
        response = await client.get("/open311/v2/requests.json", params=params)
        assert response.status_code == 400, params
        assert response.json()[0]["description"].startswith(f"{field}: "), params
    unknown = await client.get("/open311/v2/requests.xml", params={"service_code": "fake"})
    assert unknown.status_code == 404


async def test_the_list_publishes_public_fields_only(client):
    code = await file(client, **{"attribute[commune]": "Phường Nha Trang"})
    [listed] = (await client.get("/open311/v2/requests.json")).json()
    assert listed["service_request_id"] == code and listed["address"] == "Phường Nha Trang"
    assert (listed["lat"], listed["long"]) == (12.24, 109.2)
    assert listed["description"] is None and listed["media_url"] is None
    body = str(listed)
    for private in ("Trần", "0987654321", "Tạp hóa Minh Anh", "Thuốc lá ngoại", "12.2388"):
        assert private not in body


async def test_updates_carry_public_replies_and_statuses_in_fixmystreet_s_words(client, app):
    code = await file(client)
    user = await lead(app)
    inspector = await create_user("thanh-tra@qltt.gov.vn", "mật-khẩu-đủ-dài-1", "inspector",
                                  "qltt", set(app.state.intake.reference.agencies))
    case = await act(app, user, code, "assign", assignee_id=str(inspector.id))
    reply = "Đoàn kiểm tra sẽ đến cửa hàng trong tuần này."
    await add_public_reply(case, user, reply, app.state.intake.events)
    await act(app, inspector, code, "start")
    await act(app, inspector, code, "resolve", outcome="violation_confirmed",
              public_outcome="Đã xử phạt cơ sở và tịch thu hàng.", fine_vnd="5000000")
    updates = (await client.get("/open311/v2/servicerequestupdates.json",
                                headers=ENGLISH)).json()
    assert [(u["status"], u["external_status_code"]) for u in updates] == [
        ("in_progress", "assigned"), ("in_progress", "assigned"), ("in_progress", "in_progress"),
        ("fixed", "resolved")]
    assert updates[1]["description"] == reply
    assert updates[3]["description"] == "Đã xử phạt cơ sở và tịch thu hàng."
    assert updates[0]["description"] == "An inspector was assigned to the report."
    assert {u["service_request_id"] for u in updates} == {code}
    assert len({u["update_id"] for u in updates}) == 4
    assert all(u["updated_datetime"].endswith("+07:00") for u in updates)
    vietnamese = (await client.get("/open311/v2/servicerequestupdates.json")).json()
    assert vietnamese[0]["description"] == "Phản ánh đã được giao cho cán bộ xử lý."

    hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    await CaseUpdate.filter(id__in=[int(u["update_id"]) for u in updates[:3]]).update(
        created_at=hour_ago)
    since = (await client.get("/open311/v2/servicerequestupdates.json", params={
        "start_date": (hour_ago + dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_date": (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")})).json()
    assert [u["status"] for u in since] == ["fixed"]
    other = await file(client)
    assert (await client.get("/open311/v2/servicerequestupdates.json",
                             params={"service_request_id": other})).json() == []
    [status] = (await client.get(f"/open311/v2/requests/{code}.json")).json()
    assert status["status"] == "closed"
    assert status["status_notes"] == "Đã xử phạt cơ sở và tịch thu hàng."


async def test_a_joined_duplicate_and_a_rejection_say_so(client, app):
    first, again, spam = await file(client), await file(client), await file(client)
    officer = await create_user("can-bo@tinh.gov.vn", "mật-khẩu-đủ-dài-1", "officer", None,
                                set(app.state.intake.reference.agencies))
    await act(app, officer, again, "mark_duplicate", duplicate_of=first, reason="trùng")
    await act(app, officer, spam, "reject", reason="quảng cáo")
    updates = {u["service_request_id"]: u for u in (
        await client.get("/open311/v2/servicerequestupdates.json")).json()}
    assert updates[again]["status"] == "duplicate"
    assert updates[spam]["status"] == "no_further_action"
    assert "quảng cáo" not in str(updates)  # an officer's reason is internal
    assert first not in updates


async def test_a_window_means_the_same_instants_whatever_zone_it_is_written_in(client):
    code = await file(client)
    created = (await Case.get(tracking_code=code)).created_at
    for zone in (dt.UTC, dt.timezone(dt.timedelta(hours=7)), dt.timezone(dt.timedelta(hours=-5))):
        start = (created - dt.timedelta(minutes=1)).astimezone(zone)
        end = (created + dt.timedelta(minutes=1)).astimezone(zone)
        found = (await client.get("/open311/v2/requests.json", params={
            "start_date": start.isoformat(), "end_date": end.isoformat()})).json()
        assert [r["service_request_id"] for r in found] == [code], zone
        after = (await client.get("/open311/v2/requests.json", params={
            "start_date": (created + dt.timedelta(seconds=1)).astimezone(zone).isoformat()})).json()
        assert after == [], zone
    # A moment without a zone is Vietnam time; a day given alone as the end includes that day.
    local = created.astimezone(dt.timezone(dt.timedelta(hours=7))).replace(tzinfo=None)
    naive = (await client.get("/open311/v2/requests.json", params={
        "start_date": (local - dt.timedelta(minutes=1)).isoformat(),
        "end_date": local.date().isoformat()})).json()
    assert [r["service_request_id"] for r in naive] == [code]


async def test_internal_work_makes_no_update_and_a_settled_case_keeps_its_outcome(client, app):
    code, again = await file(client), await file(client)
    context = app.state.intake
    agencies = set(context.reference.agencies)
    user = await lead(app)
    officer = await create_user("can-bo@tinh.gov.vn", "mật-khẩu-đủ-dài-1", "officer", None,
                                agencies)
    await create_user("truong-phong@khcn.gov.vn", "mật-khẩu-đủ-dài-1", "lead", "khcn", agencies)
    await act(app, officer, again, "mark_duplicate", duplicate_of=code, reason="trùng")
    await act(app, user, code, "add_support", agency_code="khcn", task="Lấy mẫu kiểm nghiệm.")
    await act(app, user, code, "assign", assignee_id=str(user.id))
    await act(app, user, code, "start")
    case = await act(app, user, code, "resolve", outcome="not_confirmed",
                     public_outcome="Không phát hiện vi phạm.")
    await add_public_reply(case, user, "Cảm ơn bạn đã phản ánh.", context.events)
    updates = (await client.get("/open311/v2/servicerequestupdates.json",
                                headers=ENGLISH)).json()
    mine = [u for u in updates if u["service_request_id"] == code]
    assert [u["status"] for u in mine] == [
        "in_progress", "in_progress", "no_further_action", "no_further_action"]
    joined = [u for u in updates if u["service_request_id"] == again]
    assert [u["status"] for u in joined] == ["duplicate", "duplicate"]
    assert joined[-1]["description"] == "Không phát hiện vi phạm."
    assert "Lấy mẫu" not in str(updates)  # a supporting agency's task is internal


async def test_a_date_far_off_in_any_zone_is_a_field_message(client):
    for typed in ("9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"):
        for fmt in ("json", "xml"):
            answer = await client.post(f"/open311/v2/requests.{fmt}",
                                       data={**API_REPORT, "attribute[purchase_date]": typed})
            assert answer.status_code == 400, (typed, fmt)
            assert "attribute[purchase_date]" in answer.text


async def test_a_reply_or_a_question_moves_updated_datetime_wherever_it_is_read(client, app):
    """A client watching updated_datetime learns of every public change, in JSON and XML: a
    reply changes no column of the case, yet it is news."""
    import re

    code = await file(client)
    user = await lead(app)
    case = await Case.get(tracking_code=code)
    day_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    await Case.filter(id=case.id).update(created_at=day_ago, updated_at=day_ago)
    await CaseUpdate.filter(case_id=case.id).update(created_at=day_ago)

    async def updated_everywhere() -> set[dt.datetime]:
        single = (await client.get(f"/open311/v2/requests/{code}.json")).json()[0]
        listed = next(item for item in (await client.get("/open311/v2/requests.json")).json()
                      if item["service_request_id"] == code)
        xml = (await client.get(f"/open311/v2/requests/{code}.xml")).text
        in_xml = re.search(r"<updated_datetime>([^<]+)</updated_datetime>", xml).group(1)
        return {dt.datetime.fromisoformat(text) for text in (
            single["updated_datetime"], listed["updated_datetime"], in_xml)}

    [before] = await updated_everywhere()
    assert abs(before - day_ago) < dt.timedelta(seconds=1)
    assert day_ago.astimezone(VIETNAM).strftime("%d/%m/%Y") in (await client.get(
        "/track", params={"code": code})).text.split("Cập nhật lần cuối")[1][:80]
    for kind in ("reply", "question"):
        await add_public_reply(await Case.get(id=case.id), user, f"Lời {kind} của cơ quan.",
                               app.state.intake.events, kind=kind)
        [after] = await updated_everywhere()
        assert after > before + dt.timedelta(hours=23), kind
        # The public page's "last update" says the same day.
        track = (await client.get("/track", params={"code": code})).text
        last = track.split("Cập nhật lần cuối")[1][:80]
        assert after.astimezone(VIETNAM).strftime("%d/%m/%Y") in last, kind
        await CaseUpdate.filter(case_id=case.id).update(created_at=day_ago)
        before = day_ago
