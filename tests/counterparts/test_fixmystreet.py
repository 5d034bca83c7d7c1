"""A FixMyStreet instance sends its reports to Intake and polls their updates, the way its
Open311 code does (tests/counterparts/fixmystreet/open311_client.pl: FixMyStreet's requests,
and its XML::Simple and DateTime::Format::W3CDTF parsing, in Perl with the same modules).

The client is registered as an operator registers one (`intake api-client create`), a live
`intake serve` answers, and the agency works the case in between. Without Perl and Debian's
libxml-simple-perl, libwww-perl and libdatetime-format-w3cdtf-perl the tests are skipped,
loudly; with CI=true set, they fail instead.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from intake.settings import Settings
from tests.conftest import IN_CI
from tests.live import free_port, run_intake, start_server
from workflows.access.accounts import create_user
from workflows.cases.conversation import add_public_reply
from workflows.cases.models import Case, CaseMessage
from workflows.cases.transitions import ActionRequest, take_action

CLIENT = Path(__file__).parent / "fixmystreet" / "open311_client.pl"
MODULES = ("XML::Simple", "LWP::UserAgent", "HTTP::Request::Common", "DateTime::Format::W3CDTF",
           "JSON::PP", "URI")
NO_PERL = ("NO PERL WITH XML::Simple, LWP AND DateTime::Format::W3CDTF: install libxml-simple-perl "
           "libwww-perl libdatetime-format-w3cdtf-perl to test Intake the way FixMyStreet talks "
           "to it")
PROBLEM = {
    "name": "Phạm Minh Tuấn", "email": "tuan.pham@example.org", "phone": "0935123456",
    "service_code": "smuggled", "title": "Thuốc lá lậu bán ở chợ Xóm Mới",
    "detail": "Quầy số 5 bán thuốc lá ngoại không có tem nhập khẩu, giá rất rẻ.",
    "url": "https://fixmystreet.example.org/report/4711", "lat": "12.2451", "long": "109.1943",
    "image_url": "https://fixmystreet.example.org/photo/4711.0.jpeg",
}


@pytest.fixture(scope="session")
def perl() -> str:
    found = shutil.which("perl")
    missing = found is None or subprocess.run(
        [found, *(f"-M{module}" for module in MODULES), "-e", "1"], capture_output=True,
        timeout=60).returncode != 0
    if missing:
        if IN_CI:
            pytest.fail(f"{NO_PERL} (CI=true: nothing may be skipped)")
        pytest.skip(NO_PERL)
    assert found is not None
    return found


class FixMyStreet:
    """One FixMyStreet body's Open311 settings: endpoint, jurisdiction, api_key."""

    def __init__(self, perl: str, endpoint: str, api_key: str) -> None:
        self.command = [perl, str(CLIENT), endpoint, "khanhhoa.gov.vn", api_key]

    def __call__(self, *args: str) -> Any:
        result = subprocess.run([*self.command, *args], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def w3c(moment: dt.datetime) -> str:
    """As FixMyStreet sends its window: DateTime::Format::W3CDTF of a UTC time."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def register(settings: Settings, name: str = "FixMyStreet Khánh Hòa",
             consent: bool = True) -> str:
    env = {"INTAKE_DATABASE_URL": settings.database_url, "INTAKE_DATA_DIR": str(settings.data_dir),
           "INTAKE_CONFIG_DIR": str(settings.config_dir)}
    made = run_intake("api-client", "create", name, *(["--collects-consent"] if consent else []),
                      env=env)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip().splitlines()[-1]


async def work_the_case(app: Starlette, code: str) -> str:
    """The agency's inspector answers the reporter, then resolves the case."""
    context = app.state.intake
    agencies = set(context.reference.agencies)
    lead = await create_user("truong-phong@qltt.gov.vn", "mật-khẩu-đủ-dài-1", "lead", "qltt",
                             agencies)
    case = await Case.get(tracking_code=code)
    case = await take_action(case, lead, ActionRequest("assign", case.version,
                                                       {"assignee_id": str(lead.id)}),
                             context.reference, context.events)
    reply = "Đoàn kiểm tra liên ngành sẽ kiểm tra quầy số 5 trong tuần này."
    await add_public_reply(case, lead, reply, context.events)
    case = await take_action(case, lead, ActionRequest("start", case.version), context.reference,
                             context.events)
    await take_action(case, lead, ActionRequest("resolve", case.version, {
        "outcome": "violation_confirmed", "public_outcome": "Đã tịch thu 200 bao thuốc lá lậu.",
        "fine_vnd": "15000000"}), context.reference, context.events)
    return reply


async def test_fixmystreet_sends_a_report_polls_its_updates_and_never_duplicates(
        perl: str, app: Starlette, settings: Settings, tmp_path: Path):
    key = register(settings)
    port = free_port()
    server = start_server(settings, port)
    try:
        fms = FixMyStreet(perl, f"http://127.0.0.1:{port}/open311/v2/", key)
        services = {service["code"]: service for service in fms("services")["services"]}
        # FixMyStreet sends no Accept-Language: its categories come in Vietnamese.
        assert services["smuggled"]["category"] == "Hàng nhập lậu"
        attributes = {a["code"]: a for a in services["smuggled"]["attributes"]}
        assert {code for code, a in attributes.items() if a["required"] == "true"} == {
            "product_name", "product_group", "channel"}
        assert {v["key"] for v in attributes["channel"]["values"]} >= {"market", "online"}

        # FixMyStreet's form asks its user the service's attributes; it sends them as
        # attribute[code], beside its own fields.
        problem = tmp_path / "problem.json"
        problem.write_text(json.dumps({**PROBLEM, "extra": {
            "product_name": "Thuốc lá Jet", "product_group": "other", "channel": "market"}}))
        sent = fms("send", str(problem))
        code = sent.get("external_id")
        assert code, sent
        # A send FixMyStreet believes failed (a timeout) is sent again: the same case.
        assert fms("send", str(problem)) == {"external_id": code}
        assert await Case.all().count() == 1
        case = await Case.get(tracking_code=code)
        assert (case.reporter_name, case.reporter_email, case.consent) == (
            "Phạm Minh Tuấn", "tuan.pham@example.org", True)
        assert case.description.startswith("title: Thuốc lá lậu bán ở chợ Xóm Mới\n\ndetail: ")
        assert case.extra_attributes == {"media_url": PROBLEM["image_url"]}

        start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
        [listed] = fms("requests", w3c(start), w3c(dt.datetime.now(dt.UTC) + dt.timedelta(
            minutes=1)))["requests"]
        assert (listed["service_request_id"], listed["status"]) == (code, "open")
        assert (listed["lat"], listed["long"]) == ("12.25", "109.19")
        assert listed["description"] is None and listed["media_url"] is None

        reply = await work_the_case(app, code)
        # GetServiceRequestUpdates asks for the last two hours, up to now.
        polled = fms("updates", w3c(start), w3c(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)))
        assert polled["dropped"] == []
        updates = polled["updates"]
        assert {update["external_id"] for update in updates} == {code}
        assert [update["state"] for update in updates] == [
            "in progress", "in progress", "in progress", "fixed - council"]
        assert updates[1]["text"] == reply
        assert updates[-1]["text"] == "Đã tịch thu 200 bao thuốc lá lậu."
        assert updates[-1]["external_status_code"] == "resolved"
        assert len({update["update_id"] for update in updates}) == len(updates)
        # The next poll's window starts later: nothing older comes again.
        later = w3c(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2))
        assert fms("updates", later, w3c(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))) == {
            "updates": [], "dropped": []}
    finally:
        server.terminate()
        server.wait(timeout=30)


async def test_fixmystreet_reads_intake_s_refusals(perl: str, app: Starlette,
                                                  settings: Settings, tmp_path: Path):
    port = free_port()
    server = start_server(settings, port)
    try:
        problem = tmp_path / "problem.json"
        problem.write_text(json.dumps({**PROBLEM, "extra": {"product_group": "other"}}))
        wrong_key = FixMyStreet(perl, f"http://127.0.0.1:{port}/open311/v2/", "intake_wrong")
        refused = wrong_key("send", str(problem))
        assert refused["failed"] and int(refused["status"]) == 403
        assert "403: api_key: api_key này không có trong hệ thống" in refused["error"]
        fms = FixMyStreet(perl, f"http://127.0.0.1:{port}/open311/v2/", register(settings))
        refused = fms("send", str(problem))
        assert refused["failed"] and int(refused["status"]) == 400
        assert "400: attribute[product_name]: Trường này là bắt buộc." in refused["error"]
        assert "400: attribute[channel]:" in refused["error"]
        assert await Case.all().count() == 0
    finally:
        server.terminate()
        server.wait(timeout=30)


async def test_fixmystreet_posts_a_citizens_update_and_it_joins_the_case(
        perl: str, app: Starlette, settings: Settings, tmp_path: Path):
    """With its update-sending switch on (needed to poll Intake's answers), FixMyStreet posts
    every comment on the report: each joins the case as the reporter's follow-up, once, and
    a body's key without --collects-consent still files, keeping no contact details."""
    port = free_port()
    server = start_server(settings, port)
    try:
        endpoint = f"http://127.0.0.1:{port}/open311/v2/"
        fms = FixMyStreet(perl, endpoint, register(settings))
        problem = tmp_path / "problem.json"
        problem.write_text(json.dumps({**PROBLEM, "extra": {
            "product_name": "Thuốc lá Jet", "product_group": "other", "channel": "market"}}))
        code = fms("send", str(problem))["external_id"]
        comment = tmp_path / "comment.json"
        text = "Hôm nay quầy số 5 vẫn bày bán, thêm cả thuốc lá điện tử không nhãn phụ."
        comment.write_text(json.dumps({
            "id": 90211, "external_id": code, "name": "Phạm Minh Tuấn",
            "email": "tuan.pham@example.org", "text": text, "problem_state": "confirmed",
            "confirmed": int(dt.datetime.now(dt.UTC).timestamp()),
            "photo_url": "https://fixmystreet.example.org/photo/c/90211.full.jpeg"}))
        posted = fms("update", str(comment))
        assert posted.get("update_id", "").isdigit(), posted
        # Sent again (FixMyStreet counted a timeout as a failure): the same update, once.
        assert fms("update", str(comment)) == posted
        case = await Case.get(tracking_code=code)
        [message] = await CaseMessage.filter(case_id=case.id, author="reporter")
        assert str(message.id) == posted["update_id"] and message.body.startswith(text)
        assert "https://fixmystreet.example.org/photo/c/90211.full.jpeg" in message.body
        assert "tuan.pham@example.org" not in message.body
        assert (await Case.get(id=case.id)).new_info_at is not None  # the queue marks it

        # Another body's key cannot post to this report, and says nothing of it.
        other = FixMyStreet(perl, endpoint, register(settings, "Ứng dụng khác", consent=False))
        refused = other("update", str(comment))
        assert refused["failed"] and int(refused["status"]) == 404, refused
        # That body's key, made without --collects-consent: its report is filed all the same,
        # without the person's name, email or phone.
        filed = other("send", str(problem))
        assert filed.get("external_id"), filed
        kept = await Case.get(tracking_code=filed["external_id"])
        assert (kept.reporter_name, kept.reporter_email, kept.reporter_phone) == ("", "", "")
    finally:
        server.terminate()
        server.wait(timeout=30)
