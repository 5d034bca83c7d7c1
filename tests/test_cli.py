"""The `intake` command as an operator runs it: real processes, real files."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.conftest import browser, running_app
from tests.helpers import VALID_REPORT, post_report, settled
from tests.live import INTAKE, free_port, run_intake
from tests.workflows.audit.test_log import drop_triggers
from workflows.audit.models import AuditEvent, LogNode
from workflows.cases.models import Case
from workflows.i18n.formatting import VIETNAM
from workflows.reference.catalog import CATEGORY_CODES
from workflows.reference.loading import load_reference


async def test_audit_integrate_signs_and_verify_checks_a_held_checkpoint(client, settings,
                                                                        tmp_path: Path):
    for _ in range(2):
        assert (await post_report(client)).status_code == 303
    env = {"INTAKE_DATABASE_URL": settings.database_url, "INTAKE_DATA_DIR": str(settings.data_dir),
           "INTAKE_BASE_URL": settings.base_url}

    integrated = run_intake("audit", "integrate", env=env)
    assert integrated.returncode == 0, integrated.stderr
    assert "the log holds 4." in integrated.stdout
    held = tmp_path / "witness-checkpoint.txt"  # what a witness kept, from the mail or the URL
    held.write_text(integrated.stdout.split("\n", 1)[1], encoding="utf-8")
    key = run_intake("audit", "key", env=env).stdout.strip()
    assert key.startswith("testserver/audit+")

    intact = run_intake("audit", "verify", "--checkpoint", str(held), "--key", key, env=env)
    assert intact.returncode == 0, intact.stderr
    assert re.match(r"Audit log intact: 4 events verified against \d+ signed checkpoints",
                    intact.stdout)

    await drop_triggers()
    await AuditEvent.filter(seq=4).delete()
    await LogNode.filter(level=0, position=3).delete()
    broken = run_intake("audit", "verify", "--checkpoint", str(held), env=env)
    assert broken.returncode == 1
    assert "AUDIT LOG BROKEN at event 4" in broken.stderr
    assert "covers 4 events but only 3 remain: events 4..4 were deleted" in broken.stderr

    unreadable = run_intake("audit", "verify", "--key", "not-a-key", env=env)
    assert unreadable.returncode == 2 and "not a verifier key" in unreadable.stderr
    damaged = tmp_path / "quoted.txt"
    damaged.write_text("> " + held.read_text(encoding="utf-8"), encoding="utf-8")
    refused = run_intake("audit", "verify", "--checkpoint", str(damaged), env=env)
    assert refused.returncode == 2 and "is not a checkpoint of this log" in refused.stderr
    elsewhere = run_intake("audit", "verify", env={**env, "INTAKE_DATA_DIR": str(tmp_path / "x")})
    assert elsewhere.returncode == 2 and "this machine has no audit key" in elsewhere.stderr
    assert not (tmp_path / "x" / "audit_log_key").exists()


@pytest.mark.parametrize("name, text, said", [
    ("routing.toml", '[[rules]]\nid = "fake-goods"\ncategory = "counterfeit"\nagency = "qtt"\n',
     "routing.toml line 4: rule 1: unknown agency 'qtt'"),
    # Read on first use by the other commands (workflows.reference.loading): a server reads it
    # at start all the same.
    ("boundaries.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", '
     '"properties": {"name": "Phường Không Có"}, "geometry": {"type": "Polygon", '
     '"coordinates": [[[109.1, 12.1], [109.2, 12.1], [109.2, 12.2], [109.1, 12.1]]]}}]}',
     "boundaries.geojson: feature 1: 'Phường Không Có' is not in config/communes.toml"),
])
def test_serve_and_check_config_refuse_a_broken_file(config_dir: Path, tmp_path: Path,
                                                    name: str, text: str, said: str):
    (config_dir / name).write_text(text, encoding="utf-8")
    env = {"INTAKE_CONFIG_DIR": str(config_dir), "INTAKE_DATA_DIR": str(tmp_path / "data")}
    for command in (["check-config"], ["serve", "--port", str(free_port())]):
        result = run_intake(*command, env=env, timeout=30)
        assert result.returncode == 2, command
        assert f"{config_dir}/{said}" in result.stderr


def _health_once_up(server: subprocess.Popen, port: int) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
        except httpx.TransportError:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "the server did not answer in 30 s"
            time.sleep(0.2)


def test_serve_creates_the_database_on_first_start_and_answers(tmp_path: Path):
    data_dir, port = tmp_path / "data", free_port()
    env = {**os.environ, "INTAKE_DATA_DIR": str(data_dir)}
    env.pop("INTAKE_DATABASE_URL", None)
    server = subprocess.Popen([*INTAKE, "serve", "--demo", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        health = _health_once_up(server, port)
        assert health.json() == {"status": "ok", "database": "ok"}
        form = httpx.get(f"http://127.0.0.1:{port}/report")
        assert form.status_code == 200 and "Phản ánh sản phẩm" in form.text
        assert (data_dir / "intake.sqlite3").exists()
        assert (data_dir / "secret_key").stat().st_mode & 0o077 == 0
        # The printed demo account signs in.
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as staff:
            login = staff.get("/staff/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
            signed_in = staff.post("/staff/login", data={
                "email": "qltt.inspector@demo.intake", "csrf_token": token,
                "password": (data_dir / "demo_password").read_text().strip()})
            assert signed_in.status_code == 303
            queue = staff.get("/staff/queue")
            assert "Danh sách hồ sơ" in queue.text and "qltt.inspector" in queue.text
        # Demonstration cases fill the queue, the statistics and the open data.
        open_data = httpx.get(f"http://127.0.0.1:{port}/open-data/monthly.json").json()
        assert sum(r["received"] for r in open_data["records"] if r["breakdown"] == "agency") > 0
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert f"Citizens' report form:  http://127.0.0.1:{port}/report" in output
    assert "qltt.inspector@demo.intake" in output and "password for all:" in output
    assert "Added 3,000 demonstration cases" in output


async def test_outbox_status_shows_failures_and_retry_sends_them(mail_settings, smtp_server):
    smtp_server.handler.refuse_permanently.add("qltt@example.gov.vn")
    env = {"INTAKE_DATABASE_URL": mail_settings.database_url,
           "INTAKE_DATA_DIR": str(mail_settings.data_dir),
           "INTAKE_CONFIG_DIR": str(mail_settings.config_dir),
           "INTAKE_SMTP_HOST": "127.0.0.1", "INTAKE_SMTP_PORT": str(smtp_server.port)}
    async with running_app(mail_settings) as app, browser(app) as client:
        await post_report(client)
        await settled(kind="agency_alert")

        failing = run_intake("outbox", "status", env=env)
        assert failing.returncode == 1
        assert "pending: 0  sent: 0  failed: 1" in failing.stdout
        assert "message 1 (agency_alert): 550 5.1.1" in failing.stdout

        smtp_server.handler.refuse_permanently.clear()
        retried = run_intake("outbox", "retry", env=env)
        assert "1 failed messages queued again." in retried.stdout
        # The app's own sender may take it too; one of the two sends it, once.
        sent = run_intake("outbox", "run", "--once", env=env)
        assert sent.returncode == 0, sent.stderr
        await settled(kind="agency_alert")
        assert "pending: 0  sent: 1  failed: 0 (0 to citizens)" in run_intake("outbox", "status", env=env).stdout
    assert len(smtp_server.handler.received) == 1


def test_create_user_from_the_command_line(settings, config_dir):
    env = {"INTAKE_DATABASE_URL": settings.database_url, "INTAKE_DATA_DIR": str(settings.data_dir),
           "INTAKE_CONFIG_DIR": str(config_dir)}

    def create(*args: str, password: str = "một-mật-khẩu-dài") -> subprocess.CompletedProcess:
        return subprocess.run([*INTAKE, "create-user", *args, "--password-stdin"], input=password + "\n",
                              env={**os.environ, **env}, capture_output=True, text=True, timeout=60)

    made = create("Lan.Tran@KHCN.gov.vn", "--role", "inspector", "--agency", "khcn")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "Created inspector of khcn: lan.tran@khcn.gov.vn"
    again = create("lan.tran@khcn.gov.vn", "--role", "inspector", "--agency", "khcn")
    assert "an account for lan.tran@khcn.gov.vn already exists" in again.stderr
    no_agency = create("x@y.vn", "--role", "lead")
    shipped = ", ".join(sorted(load_reference(config_dir).agencies))  # as configured
    assert no_agency.returncode == 2 and f"give --agency ({shipped})" in no_agency.stderr
    short = create("y@y.vn", "--role", "officer", password="ngắn")
    assert "the password needs at least 10 characters" in short.stderr


async def test_api_clients_are_registered_listed_and_revoked_from_the_command_line(client,
                                                                                  settings):
    env = {"INTAKE_DATABASE_URL": settings.database_url, "INTAKE_DATA_DIR": str(settings.data_dir),
           "INTAKE_CONFIG_DIR": str(settings.config_dir)}
    made = run_intake("api-client", "create", "FixMyStreet Khánh Hòa", "--collects-consent",
                      "--reports-per-hour", "500", env=env)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"intake_[A-Za-z0-9_-]{43}", key)
    assert key not in run_intake("api-client", "list", env=env).stdout  # shown once only
    again = run_intake("api-client", "create", "FixMyStreet Khánh Hòa", env=env)
    assert again.returncode == 2 and "exists already" in again.stderr
    listed = run_intake("api-client", "list", env=env).stdout
    assert "FixMyStreet Khánh Hòa\tactive\treports per hour: 500\tcollects consent" in listed
    answer = await client.get("/open311/v2/requests.json", params={"api_key": key})
    assert answer.status_code == 200
    revoked = run_intake("api-client", "revoke", "FixMyStreet Khánh Hòa", env=env)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert "revoked 20" in run_intake("api-client", "list", env=env).stdout
    assert (await client.get("/open311/v2/requests.json",
                             params={"api_key": key})).status_code == 403
    unknown = run_intake("api-client", "revoke", "Không có", env=env)
    assert unknown.returncode == 2 and "no client is named" in unknown.stderr


async def test_demo_adds_realistic_cases_that_the_queue_and_routing_accept(client, settings):
    env = {"INTAKE_DATABASE_URL": settings.database_url, "INTAKE_DATA_DIR": str(settings.data_dir)}
    result = run_intake("demo", "--cases", "1200", env=env)
    assert result.returncode == 0, result.stderr
    assert "Inserted 1,200 demonstration cases" in result.stdout
    cases = await Case.all()
    assert len(cases) == 1200 and len({case.tracking_code for case in cases}) == 1200
    now = dt.datetime.now(dt.UTC)
    assert all(now - dt.timedelta(days=731) < case.created_at <= now for case in cases)
    categories = Counter(case.category for case in cases)
    assert set(categories) == CATEGORY_CODES and categories.most_common(1)[0][0] == "counterfeit"
    assert {case.agency_code for case in cases} >= {"qltt", "khcn", "bvntd", None}
    settled_cases = [case for case in cases if case.status in ("resolved", "closed")]
    assert len(settled_cases) > 600  # two years back, most cases are settled
    assert all(case.created_at <= case.resolved_at <= now and case.outcome
               for case in settled_cases)
    assert not any(case.reporter_name or case.reporter_phone or case.reporter_email
                   for case in cases)
    again = run_intake("demo", "--cases", "10", env=env)  # adds, never collides
    assert again.returncode == 0 and await Case.all().count() == 1210


async def test_export_writes_the_file_and_the_audit_trail(client, settings, tmp_path):
    await post_report(client)
    env = {"INTAKE_DATABASE_URL": settings.database_url, "INTAKE_DATA_DIR": str(settings.data_dir)}
    month = dt.datetime.now(VIETNAM).strftime("%Y-%m")
    out = tmp_path / "thang.csv"
    result = run_intake("export", "--period", month, "--cutoff", "0", "--format", "csv",
                        "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert '"Số phản ánh tiếp nhận","1",' in out.read_text(encoding="utf-8-sig")
    event = await AuditEvent.get(action="export")
    assert event.after == {"period": month, "agency": None, "format": "csv", "detail": False}
    wrong = run_intake("export", "--period", "2026-13", env=env)
    assert wrong.returncode == 2 and "is not a period" in wrong.stderr
    for mistake, said in ((("--year", "2026"), "--year goes with --report"),
                          (("--report", "bao-cao-nam", "--year", "2026", "--cutoff", "0"),
                           "--cutoff does not apply to a named report")):
        refused = run_intake("export", *mistake, env=env)
        assert refused.returncode == 2 and said in refused.stderr, refused.stderr
    detail = run_intake("export", "--period", month, "--cutoff", "0", "--detail", "--format",
                        "csv", "--out", str(tmp_path / "ds.csv"), env=env)
    assert detail.returncode == 0 and "Wrote 1 cases" in detail.stdout


async def test_export_prints_the_latest_checkpoint_and_signs_none(settings, tmp_path):
    """The operator's exports are not limited, but no more than the staff's does each file
    sign a checkpoint of its own."""
    from dataclasses import replace

    from tests.intake.backoffice.test_export_limits import first_checkpoint
    from workflows.audit.models import LogCheckpoint

    quiet = replace(settings, checkpoint_seconds=3600)  # the server signs the first one only
    async with running_app(quiet) as app, browser(app) as client:
        await post_report(client)
        signed = await first_checkpoint()
        env = {"INTAKE_DATABASE_URL": settings.database_url,
               "INTAKE_DATA_DIR": str(settings.data_dir)}
        month = dt.datetime.now(VIETNAM).strftime("%Y-%m")
        for file_format in ("csv", "xlsx"):
            out = tmp_path / f"thang.{file_format}"
            result = run_intake("export", "--period", month, "--format", file_format,
                                "--out", str(out), env=env)
            assert result.returncode == 0, result.stderr
        assert signed.note in (tmp_path / "thang.csv").read_text(encoding="utf-8-sig")
        assert signed.note in cell_values(tmp_path / "thang.xlsx")
        assert await LogCheckpoint.all().count() == 1
        assert await AuditEvent.filter(action="export").count() == 2  # each still recorded
        assert "WARNING" not in result.stderr  # the log names the service's own address


@pytest.mark.parametrize(("base_url", "named"), [("http://127.0.0.1:8000", "127.0.0.1:8000"),
                                               ("http://[::1]:8000", "[::1]:8000")])
async def test_export_warns_when_the_checkpoint_names_this_machine(settings, tmp_path, base_url,
                                                                  named):
    """A report handed out says where to check its figures: this machine's address is nowhere
    a reader can go, and the operator is told before sending it."""
    from dataclasses import replace

    from tests.intake.backoffice.test_export_limits import first_checkpoint

    local = replace(settings, base_url=base_url, checkpoint_seconds=3600)
    async with running_app(local) as app, browser(app) as client:
        await post_report(client)
        await first_checkpoint()
        result = run_intake("export", "--period", dt.datetime.now(VIETNAM).strftime("%Y-%m"),
                            "--format", "docx", "--out", str(tmp_path / "thang.docx"),
                            env={"INTAKE_DATABASE_URL": settings.database_url,
                                 "INTAKE_DATA_DIR": str(settings.data_dir)})
    assert result.returncode == 0, result.stderr
    assert f"WARNING: the audit checkpoint in the file names this machine ({named})" \
        in result.stderr


def cell_values(path: Path) -> set[object]:
    import openpyxl

    return {cell.value for sheet in openpyxl.load_workbook(path) for row in sheet.iter_rows()
            for cell in row}


def test_serve_warns_when_mail_going_out_would_name_this_machine(settings):
    from dataclasses import replace

    from intake.cli.serve import _outside_warnings
    from workflows.mail.smtp import SmtpConfig

    assert _outside_warnings(settings) == []  # nothing goes out: nothing to warn of
    sending = replace(settings, base_url="http://127.0.0.1:8000",
                      smtp=SmtpConfig(host="mail.example.gov.vn"))
    warnings = _outside_warnings(sending)
    assert len(warnings) == 2
    assert warnings[0].startswith("INTAKE_BASE_URL") and warnings[1].startswith("INTAKE_MAIL_FROM")
    public = replace(sending, base_url="https://phananh.khanhhoa.gov.vn", smtp=SmtpConfig(
        host="mail.example.gov.vn", mail_from="Phản ánh <no-reply@khanhhoa.gov.vn>"))
    assert _outside_warnings(public) == []


def test_serve_runs_for_ha_noi_from_its_official_code_and_files_a_report_there(
        tmp_path: Path, config_dir: Path):
    """An operator in Hà Nội sets one code (01) in communes.toml, removes Khánh Hòa's
    boundaries and starts the service: the form lists Hà Nội's wards from the official list,
    a Khánh Hòa ward is refused beside the field, and a report filed in Ba Đình is received."""
    (config_dir / "communes.toml").write_text("province_code = 1\n", encoding="utf-8")
    (config_dir / "boundaries.geojson").unlink()
    port = free_port()
    env = {**os.environ, "INTAKE_DATA_DIR": str(tmp_path / "data"),
           "INTAKE_CONFIG_DIR": str(config_dir)}
    env.pop("INTAKE_DATABASE_URL", None)
    server = subprocess.Popen([*INTAKE, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert _health_once_up(server, port).status_code == 200
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as citizen:
            form = citizen.get("/report")
            assert "Thành phố Hà Nội" in form.text and "Phường Ba Đình" in form.text and "Phường Nha Trang" not in form.text

            def filed(commune: str) -> httpx.Response:
                token = re.search(r'name="csrf_token" value="([^"]+)"',
                                  citizen.get("/report").text).group(1)
                return citizen.post("/report", data={
                    **VALID_REPORT, "commune": commune, "csrf_token": token,
                    "join_case": "new"}, files=[("photos", ("", b"", "application/octet-stream"))])

            elsewhere = filed("Phường Nha Trang")
            assert elsewhere.status_code == 400 and 'id="commune-error"' in elsewhere.text
            received = filed("Phường Ba Đình")
            assert received.status_code == 303, received.text
            receipt = citizen.get(received.headers["location"])
            code = re.search(r'id="tracking-code"[^>]*>([^<]+)<', receipt.text).group(1)
            tracked = citizen.get("/track", params={"code": code.replace(" ", "")})
            assert tracked.status_code == 200 and "Đã tiếp nhận" in tracked.text
            # No INTAKE_BASE_URL: links name the port it was started on, not the default one.
            discovery = citizen.get("/open311/discovery.json").json()
            assert {endpoint["url"] for endpoint in discovery["endpoints"]} == {
                f"http://127.0.0.1:{port}/open311/v2"}
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    # The texts still written for Khánh Hòa are named at the start, file and key.
    assert "service.toml: operator_vi = 'Sở Công Thương tỉnh Khánh Hòa' does not name " \
           "Thành phố Hà Nội" in output
    assert "reporting.toml: issuer.parent" in output
