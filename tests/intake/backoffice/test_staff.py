from __future__ import annotations

import datetime as dt
import io
import re

import httpx
import pytest
from PIL import Image

from tests.conftest import browser
from tests.helpers import REPORTER, VALID_REPORT, csrf_token, post_report
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD, sign_in
from tests.workflows.evidence.test_jpeg import phone_exif, photo, pixels, saved
from workflows.access.accounts import AccountError, create_user, set_active
from workflows.access.models import LoginThrottle, StaffSession
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case
from workflows.mail.models import OutboxMessage


async def test_the_back_office_asks_visitors_to_sign_in(client):
    response = await client.get("/staff/queue", params={"status": "received"})
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?next=%2Fstaff%2Fqueue%3Fstatus%3Dreceived"


async def test_signing_in_opens_a_fresh_server_side_session(client, accounts):
    first = await sign_in(client, "qltt")
    assert first.status_code == 303 and first.headers["location"] == "/staff/queue"
    cookie = first.headers["set-cookie"]
    assert cookie.startswith("intake_session=")
    assert "HttpOnly" in cookie and "Path=/staff" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # http base URL in tests
    queue = await client.get("/staff/queue")
    assert queue.status_code == 200 and "thanh-tra@qltt.gov.vn" in queue.text
    second = await sign_in(client, "qltt")
    assert second.cookies["intake_session"] != first.cookies["intake_session"]
    token = first.cookies["intake_session"]
    assert token not in str(await StaffSession.all().values_list("token_digest", flat=True))


async def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client, accounts):
    wrong = await sign_in(client, "qltt", password="sai-mật-khẩu-rồi")
    token = await csrf_token(client, "/staff/login")
    unknown = await client.post("/staff/login", data={"email": "khong-co@tinh.gov.vn",
                                                      "password": PASSWORD, "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 400
    message = "Email hoặc mật khẩu không đúng."
    assert message in wrong.text and message in unknown.text
    assert "intake_session" not in wrong.headers.get("set-cookie", "")


async def test_repeated_failures_lock_the_account_even_for_the_right_password(client, accounts):
    for _ in range(5):
        await sign_in(client, "khcn", password="đoán-thử-mật-khẩu")
    locked = await sign_in(client, "khcn")
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.text
    # Another account from the same address is not locked by these five.
    assert (await sign_in(client, "qltt")).status_code == 303
    # The count is in the database, under a digest of the account: every worker sees the same
    # lock, and nothing typed is kept.
    locked_rows = await LoginThrottle.filter(locked_until__isnull=False).values_list(
        "key", flat=True)
    assert [key.split(":")[0] for key in locked_rows] == ["account-ip"]
    assert not any("khcn" in key for key in locked_rows)


async def test_logout_and_disabling_an_account_end_sessions_at_once(client, app, accounts):
    await sign_in(client, "qltt")
    stolen = client.cookies["intake_session"]
    token = await csrf_token(client, "/staff/queue")
    await client.post("/staff/logout", data={"csrf_token": token})
    async with browser(app) as thief:
        thief.cookies.set("intake_session", stolen, path="/staff")
        assert (await thief.get("/staff/queue")).status_code == 303

    await sign_in(client, "officer")
    assert (await client.get("/staff/queue")).status_code == 200
    await set_active(ACCOUNTS["officer"][0], False)
    assert (await client.get("/staff/queue")).status_code == 303
    assert (await sign_in(client, "officer")).status_code == 400


async def test_an_idle_session_expires(client, accounts):
    await sign_in(client, "qltt")
    await StaffSession.all().update(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    assert (await client.get("/staff/queue")).status_code == 303


async def test_staff_download_the_reporters_photo_as_the_camera_took_it(client, accounts):
    """Evidence keeps every detail of the label: no generation lost to re-encoding."""
    original = saved(photo(320, 240), exif=phone_exif(), progressive=True, quality=95)
    assert (await post_report(client, files=[("tem.jpg", original, "image/jpeg")])
            ).status_code == 303
    await sign_in(client, "officer")
    case, attachment = await Case.get(), await Attachment.get()
    served = await client.get(f"/staff/cases/{case.tracking_code}/attachments/{attachment.id}")
    assert served.status_code == 200
    assert pixels(served.content) == pixels(original)  # no generation lost to re-encoding
    assert not Image.open(io.BytesIO(served.content)).getexif()
    assert b"PhoneMaker" not in served.content


async def test_each_agency_sees_only_its_own_cases(client, app, accounts, cases):
    counterfeit, labelling = cases["counterfeit"], cases["labelling"]
    photo = await counterfeit.attachments.all().first()
    own = f"/staff/cases/{counterfeit.tracking_code}"
    urls = [own, f"{own}/attachments/{photo.id}"]

    await sign_in(client, "khcn")
    queue = await client.get("/staff/queue")
    assert "Dầu gội Clear giả" in queue.text and "Nước mắm" not in queue.text
    for url in urls:
        assert (await client.get(url)).status_code == 404
    assert (await client.get(f"/staff/cases/{labelling.tracking_code}")).status_code == 200

    async with browser(app) as lead:
        await sign_in(lead, "qltt_lead")
        page = await lead.get(own)
        assert page.status_code == 200
        for shown in ("Nguyễn Thị Hằng", "0912345678", "Chuyển Chi cục Quản lý thị trường theo quy tắc",
                          "tem.jpg"):
            assert shown in page.text
        download = await lead.get(urls[1])
        assert download.status_code == 200 and download.content[:3] == b"\xff\xd8\xff"
        assert download.headers["content-disposition"].startswith("attachment;")
        assert download.headers["content-security-policy"] == "sandbox"
        assert download.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("who", "status"), [("analyst", 403), ("admin", 403)])
async def test_roles_without_case_work_are_refused(client, accounts, cases, who, status):
    await sign_in(client, who)
    assert (await client.get("/staff/queue")).status_code == status
    code = cases["counterfeit"].tracking_code
    assert (await client.get(f"/staff/cases/{code}")).status_code == status


async def test_officers_see_every_case_and_the_triage_queue(client, accounts, cases):
    await sign_in(client, "officer")
    everything = await client.get("/staff/queue")
    assert "Đang mở (3)" in everything.text
    assert "Tất cả (3)" in (await client.get("/staff/queue", params={"status": "all"})).text
    triage = await client.get("/staff/queue", params={"queue": "triage"})
    assert "Thực phẩm chức năng không rõ nguồn gốc" in triage.text
    assert "Dầu gội Clear giả" not in triage.text


async def test_the_queue_filters_searches_and_flags_overdue_cases(client, accounts, cases):
    await Case.filter(id=cases["labelling"].id).update(due_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    await sign_in(client, "officer")
    found = await client.get("/staff/queue", params={"q": "clear"})
    assert "Dầu gội Clear giả" in found.text and "Nước mắm" not in found.text
    code = cases["counterfeit"].tracking_code
    by_code = await client.get("/staff/queue", params={"q": f"{code[:5]}-{code[5:]}".lower()})
    assert "Nước mắm" in by_code.text and "Dầu gội" not in by_code.text
    overdue = await client.get("/staff/queue", params={"overdue": "1"})
    assert "Dầu gội Clear giả" in overdue.text and "Nước mắm" not in overdue.text
    assert re.search(r'<tr class="overdue">', overdue.text)
    late = (dt.datetime.now(dt.UTC) - dt.datetime(2026, 1, 5, tzinfo=dt.UTC)).days
    assert f"quá hạn {late} ngày" in overdue.text and "chưa giao" in overdue.text
    odd = await client.get("/staff/queue", params={"page": "x", "status": "nonsense",
                                                   "q": "' OR 1=1 --"})
    assert odd.status_code == 200 and "Không có hồ sơ nào phù hợp." in odd.text


async def test_the_queue_counts_open_work_and_reaches_closed_cases_on_request(client, accounts,
                                                                             cases):
    await Case.filter(id=cases["labelling"].id).update(status="resolved")
    await sign_in(client, "officer")
    queue = (await client.get("/staff/queue")).text
    assert "Đang mở (2)" in queue and "Dầu gội Clear giả" not in queue
    # Closed statuses are one click away, counted only when shown: counting every closed case
    # on each view would read them all.
    assert re.search(r"Đã giải quyết</a>", queue)
    resolved = (await client.get("/staff/queue", params={"status": "resolved"})).text
    assert "Đã giải quyết (1)" in resolved and "Dầu gội Clear giả" in resolved


async def case_form_version(client: httpx.AsyncClient, code: str) -> tuple[str, str]:
    page = await client.get(f"/staff/cases/{code}")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    return version, re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


async def test_the_case_page_offers_only_allowed_actions_and_applies_them(client, app, accounts,
                                                                          cases):
    code = cases["counterfeit"].tracking_code
    await sign_in(client, "qltt")  # an inspector: nothing to do on an unassigned case
    assert "Thao tác" not in (await client.get(f"/staff/cases/{code}")).text

    async with browser(app) as lead:
        await sign_in(lead, "qltt_lead")
        page = (await lead.get(f"/staff/cases/{code}")).text
        assert "Giao cán bộ xử lý" in page and "Kết thúc xử lý" not in page
        version, token = await case_form_version(lead, code)
        inspector = re.search(r'<option value="(\d+)"[^>]*>thanh-tra@qltt.gov.vn', page).group(1)
        done = await lead.post(f"/staff/cases/{code}/actions", data={
            "action": "assign", "version": version, "assignee_id": inspector, "csrf_token": token})
        assert done.status_code == 303
        assert (await Case.get(tracking_code=code)).status == "assigned"

        # The same form sent again carries the old version: refused, nothing overwritten.
        stale = await lead.post(f"/staff/cases/{code}/actions", data={
            "action": "reject", "version": version, "reason": "trùng", "csrf_token": token})
        assert stale.status_code == 409
        assert "Hồ sơ vừa được người khác thay đổi" in stale.text
        wrong = await lead.post(f"/staff/cases/{code}/actions", data={
            "action": "resolve", "version": str(int(version) + 1), "outcome": "not_confirmed",
            "public_outcome": "x", "csrf_token": token})
        assert wrong.status_code == 400
        assert "Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái “Đã giao xử lý”" in wrong.text
    assert (await Case.get(tracking_code=code)).status == "assigned"

    start_page = (await client.get(f"/staff/cases/{code}")).text
    assert "Bắt đầu xử lý" in start_page


async def test_an_inspector_is_offered_only_the_work_assigned_to_them(client, app, accounts,
                                                                     cases):
    """The case's actions and a supporting task's "done" are the assignee's: another inspector
    of the agency is offered neither, and is told who acts."""
    code = cases["counterfeit"].tracking_code
    await create_user("thanh-tra-2@qltt.gov.vn", PASSWORD, "inspector", "qltt", AGENCIES)
    async with browser(app) as lead:
        await sign_in(lead, "qltt_lead")
        page = (await lead.get(f"/staff/cases/{code}")).text
        assignee = re.search(r'<option value="(\d+)"[^>]*>thanh-tra@qltt.gov.vn', page).group(1)
        for action, fields in (("assign", {"assignee_id": assignee}),
                               ("add_support", {"agency_code": "khcn",
                                                "task": "Kiểm tra nhãn hàng hóa."})):
            version, token = await case_form_version(lead, code)
            done = await lead.post(f"/staff/cases/{code}/actions", data={
                "action": action, "version": version, "csrf_token": token, **fields})
            assert done.status_code == 303, done.text[:1000]

    await sign_in(client, "qltt")  # the assignee
    assert 'id="action-start"' in (await client.get(f"/staff/cases/{code}")).text
    async with browser(app) as colleague:
        token = await csrf_token(colleague, "/staff/login")
        assert (await colleague.post("/staff/login", data={
            "email": "thanh-tra-2@qltt.gov.vn", "password": PASSWORD,
            "csrf_token": token})).status_code == 303
        page = (await colleague.get(f"/staff/cases/{code}")).text
        assert 'id="action-' not in page
        assert "Hồ sơ đã được giao cho cán bộ khác" in page
    async with browser(app) as supporter:  # the task is not assigned yet: only the lead acts
        await sign_in(supporter, "khcn")
        page = (await supporter.get(f"/staff/cases/{code}")).text
        assert "Kiểm tra nhãn hàng hóa." in page and 'id="action-support_done"' not in page


async def test_a_public_reply_reaches_the_reporter_and_a_note_stays_inside(client, app, accounts,
                                                                           cases):
    case = cases["counterfeit"]
    code = case.tracking_code
    async with browser(app) as inspector:
        await sign_in(inspector, "qltt")
        token = await csrf_token(inspector, f"/staff/cases/{code}")
        note = "Chủ sạp là người quen của người phản ánh, cần giữ kín."
        reply = "Cảm ơn bạn. Đoàn kiểm tra sẽ đến chợ Đầm trong tuần này."
        assert (await inspector.post(f"/staff/cases/{code}/notes",
                                     data={"body": note, "csrf_token": token})).status_code == 303
        assert (await inspector.post(f"/staff/cases/{code}/replies",
                                     data={"body": reply, "csrf_token": token})).status_code == 303
        empty = await inspector.post(f"/staff/cases/{code}/notes",
                                     data={"body": "  ", "action": "note", "csrf_token": token})
        assert empty.status_code == 400
        assert 'id="note-body-error">Hãy nhập nội dung trước.' in empty.text
        long_reply = "Đoàn kiểm tra sẽ đến chợ. " * 200  # 5,200 characters
        too_long = await inspector.post(f"/staff/cases/{code}/replies", data={
            "body": long_reply, "kind": "reply", "action": "message", "csrf_token": token})
        assert too_long.status_code == 400
        assert 'id="reply-body-error">Tối đa 5000 ký tự' in too_long.text  # beside the box
        assert long_reply.strip()[:200] in too_long.text  # which keeps the text
        page = (await inspector.get(f"/staff/cases/{code}")).text
        assert note in page and reply in page

    track = (await client.get("/track", params={"code": code})).text
    assert reply in track and note not in track
    api = (await client.get(f"/open311/v2/requests/{code}.json")).json()[0]
    assert api["status_notes"] == reply
    mail = await OutboxMessage.get(kind="reply_notice")
    assert mail.recipient == REPORTER["reporter_email"] and reply in mail.body_text
    assert note not in mail.body_text
    actions = await AuditEvent.filter(case_id=case.id).exclude(action="case_viewed").order_by(
        "seq").values_list("action", flat=True)
    assert actions[-2:] == ["note_added", "public_reply"]

    async with browser(app) as other_agency:
        await sign_in(other_agency, "khcn")
        token = await csrf_token(other_agency, f"/staff/cases/{cases['labelling'].tracking_code}")
        refused = await other_agency.post(f"/staff/cases/{code}/replies",
                                          data={"body": "x", "csrf_token": token})
        assert refused.status_code == 404


async def test_an_officer_files_a_hotline_case_that_follows_the_same_routing(client, app, accounts):
    await sign_in(client, "officer")
    form = await client.get("/staff/cases/new")
    assert form.status_code == 200 and "Đường dây nóng" in form.text
    token = await csrf_token(client, "/staff/cases/new")
    bad = await client.post("/staff/cases/new", data={**VALID_REPORT, "price_vnd": "-3",
                                                     "intake_channel": "hotline",
                                                     "csrf_token": token},
                            files=[("photos", ("", b"", "application/octet-stream"))])
    assert bad.status_code == 400 and "Giá không thể là số âm." in bad.text
    assert 'value="Nước mắm Phú Quốc 500 ml"' in bad.text
    filed = await client.post("/staff/cases/new", data={**VALID_REPORT, **REPORTER,
                                                        "intake_channel": "hotline",
                                                        "csrf_token": token},
                              files=[("photos", ("", b"", "application/octet-stream"))])
    assert filed.status_code == 303
    case = await Case.get()
    assert (case.intake_channel, case.agency_code, case.status) == ("hotline", "qltt", "received")
    page = await client.get(filed.headers["location"])
    pin = re.search(r'id="caller-pin">(\d{4} \d{4})<', page.text).group(1)
    again = await client.get(filed.headers["location"])
    assert pin not in again.text
    created = await AuditEvent.get(case_id=case.id, action="created")
    assert (created.actor_type, created.after["intake_channel"]) == ("staff", "hotline")

    async with browser(app) as inspector:
        await sign_in(inspector, "qltt")
        assert (await inspector.get("/staff/cases/new")).status_code == 403


async def test_the_case_page_lists_reports_about_the_same_goods_or_seller(client, app, accounts):
    same_shop = {**VALID_REPORT, "barcode": "", "shop_name": "SẠP SỐ 12",
                 "product_name": "Nước tương giả"}
    same_barcode = {**VALID_REPORT, "shop_name": "Cửa hàng khác", "product_name": "Chai thứ ba"}
    elsewhere = {**VALID_REPORT, "barcode": "", "commune": "Phường Cam Ranh",
                 "product_name": "Không liên quan"}
    other_agency = {**VALID_REPORT, "category": "labelling", "product_name": "Của Sở KH&CN"}
    for fields in (VALID_REPORT, same_shop, same_barcode, elsewhere, other_agency):
        await post_report(client, fields)
    first = await Case.filter(product_name=VALID_REPORT["product_name"]).get()
    await sign_in(client, "qltt")
    page = (await client.get(f"/staff/cases/{first.tracking_code}")).text
    assert "Có thể cùng hàng hóa hoặc người bán" in page
    assert "Nước tương giả" in page and "Chai thứ ba" in page
    assert "Không liên quan" not in page
    assert "Của Sở KH&amp;CN" not in page  # another agency's case is never revealed


# Every staff URL, and what each role gets for a case of qltt (200/303 allowed, 403 wrong role,
# 404 another agency's case or statistics). POSTs carry a valid CSRF token and an empty body: what matters
# here is who gets past the door, not what the action does.
def staff_urls(code: str, attachment_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", "/staff/queue"),
        ("GET", "/staff/cases/new"),
        ("GET", f"/staff/cases/{code}"),
        ("GET", f"/staff/cases/{code}/attachments/{attachment_id}"),
        ("POST", f"/staff/cases/{code}/actions"),
        ("POST", f"/staff/cases/{code}/notes"),
        ("POST", f"/staff/cases/{code}/replies"),
        ("POST", f"/staff/cases/{code}/support"),
        ("GET", "/staff/stats"),
        ("GET", "/staff/stats/export?format=csv"),
        ("GET", "/staff/stats/export?format=csv&detail=1&agency=khcn"),
    ]


EXPECTED = {
    #            queue new  case file action note reply support stats export khcn-list
    "officer":   (200, 200, 200, 200, 400, 400, 400, 403, 200, 200, 200),
    "qltt":      (200, 403, 200, 200, 400, 400, 400, 400, 403, 403, 403),
    "qltt_lead": (200, 403, 200, 200, 400, 400, 400, 400, 200, 200, 404),
    "khcn":      (200, 403, 404, 404, 404, 404, 404, 404, 403, 403, 403),
    "analyst":   (403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 200),
    "admin":     (403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 200),
    "committee": (200, 403, 200, 404, 403, 403, 403, 403, 200, 200, 200),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
async def test_every_staff_url_answers_each_role_as_it_should(client, accounts, cases, who):
    case = cases["counterfeit"]
    photo = await case.attachments.all().first()
    await sign_in(client, who)
    token = await csrf_token(client, "/staff/login")
    answers = []
    for method, url in staff_urls(case.tracking_code, photo.id):
        if method == "GET":
            response = await client.get(url)
        else:
            response = await client.post(url, data={"csrf_token": token})
        answers.append(response.status_code)
    assert tuple(answers) == EXPECTED[who]


async def test_signed_out_visitors_reach_no_staff_url(client, cases):
    case = cases["counterfeit"]
    photo = await case.attachments.all().first()
    for method, url in staff_urls(case.tracking_code, photo.id):
        response = await (client.get(url) if method == "GET" else client.post(url, data={}))
        assert response.status_code == 303, url
        assert response.headers["location"].startswith("/staff/login?next=")


async def test_a_supporting_agency_works_its_task_from_the_case_page(client, app, accounts, cases):
    case = cases["counterfeit"]
    await sign_in(client, "qltt_lead")
    version, token = await case_form_version(client, case.tracking_code)
    added = await client.post(f"/staff/cases/{case.tracking_code}/actions", data={
        "csrf_token": token, "action": "add_support", "version": version, "agency_code": "khcn",
        "task": "Kiểm tra tem nhãn <b>và</b> đo lường."})
    assert added.status_code == 303
    await client.post("/staff/logout", data={"csrf_token": token})

    await sign_in(client, "khcn")
    queue = (await client.get("/staff/queue")).text
    assert case.tracking_code in queue and "đơn vị phối hợp" in queue
    page = (await client.get(f"/staff/cases/{case.tracking_code}")).text
    assert "Kiểm tra tem nhãn &lt;b&gt;và&lt;/b&gt; đo lường." in page
    assert REPORTER["reporter_phone"] in page  # it works the case, so it sees the reporter
    assert 'action="/staff/cases/' + case.tracking_code + '/replies"' not in page
    assert 'value="reject"' not in page  # the case's own actions stay with the lead agency
    token = await csrf_token(client, f"/staff/cases/{case.tracking_code}")
    refused = await client.post(f"/staff/cases/{case.tracking_code}/support", data={
        "csrf_token": token, "action": "support_done", "version": "1", "text": "Xong."})
    assert refused.status_code == 400
    assert "Chỉ cán bộ được giao nhiệm vụ" in refused.text
    note = await client.post(f"/staff/cases/{case.tracking_code}/notes",
                             data={"csrf_token": token, "body": "Sở KH&CN đã nhận nhiệm vụ."})
    assert note.status_code == 303
    page = (await client.get(f"/staff/cases/{case.tracking_code}")).text
    assert "Sở KH&amp;CN đã nhận nhiệm vụ." in page


async def test_the_steering_committee_follows_every_case_without_personal_data(
        client, app, accounts, cases):
    code = cases["counterfeit"].tracking_code
    await sign_in(client, "committee")
    queue = (await client.get("/staff/queue")).text
    assert all(case.tracking_code[:5] in queue for case in cases.values())
    page = (await client.get(f"/staff/cases/{code}")).text
    assert "Nước mắm Phú Quốc 500 ml" in page and "Chuyển Chi cục Quản lý thị trường" in page
    for private in ("Nguyễn Thị Hằng", "0912345678", "hang.nguyen@example.vn", "tem.jpg",
                    VALID_REPORT["description"]):
        assert private not in page
    assert "Thao tác" not in page and 'action="/staff/cases/' not in page  # reads only
    granted = await create_user("uy-vien@tinh.gov.vn", PASSWORD, "committee", None, AGENCIES,
                                personal_data=True)
    async with browser(app) as member:
        token = await csrf_token(member, "/staff/login")
        await member.post("/staff/login", data={"email": granted.email, "password": PASSWORD,
                                                "csrf_token": token})
        page = (await member.get(f"/staff/cases/{code}")).text
        assert "Nguyễn Thị Hằng" in page and "tem.jpg" in page
    with pytest.raises(AccountError):
        await create_user("x@tinh.gov.vn", PASSWORD, "analyst", None, AGENCIES, personal_data=True)
