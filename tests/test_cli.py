"""The `intake` command as an operator runs it: real processes, real files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.helpers import post_report
from tests.workflows.test_audit import _drop_triggers
from workflows.models import AuditEvent

INTAKE = [sys.executable, "-m", "intake.cli"]


def run_intake(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*INTAKE, *args], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_audit_verify_passes_and_then_points_at_a_hand_edited_event(client, settings):
    for _ in range(2):
        assert (await post_report(client)).status_code == 303
    env = {"INTAKE_DATABASE_URL": settings.database_url, "INTAKE_DATA_DIR": str(settings.data_dir)}

    intact = run_intake("audit", "verify", env=env)
    assert intact.returncode == 0, intact.stderr
    assert "Audit trail intact: 4 events verified." in intact.stdout

    await _drop_triggers()
    await AuditEvent.filter(seq=3).update(actor_type="staff")
    broken = run_intake("audit", "verify", env=env)
    assert broken.returncode == 1
    assert "AUDIT TRAIL BROKEN at event 3: event 3 was changed after it was written" in broken.stderr


def test_serve_refuses_to_start_with_a_broken_rules_file(config_dir: Path, tmp_path: Path):
    (config_dir / "routing.toml").write_text('[[rules]]\ncategory = "counterfeit"\nagency = "qtt"\n',
                                             encoding="utf-8")
    result = run_intake("serve", "--port", str(free_port()),
                        env={"INTAKE_CONFIG_DIR": str(config_dir),
                             "INTAKE_DATA_DIR": str(tmp_path / "data")}, timeout=30)
    assert result.returncode == 2
    assert f"{config_dir / 'routing.toml'} line 3: rule 1: unknown agency 'qtt'" in result.stderr


def test_serve_creates_the_database_on_first_start_and_answers(tmp_path: Path):
    data_dir, port = tmp_path / "data", free_port()
    env = {**os.environ, "INTAKE_DATA_DIR": str(data_dir)}
    env.pop("INTAKE_DATABASE_URL", None)
    server = subprocess.Popen([*INTAKE, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the server did not answer in 30 s"
                time.sleep(0.2)
        assert health.json() == {"status": "ok", "database": "ok"}
        form = httpx.get(f"http://127.0.0.1:{port}/report")
        assert form.status_code == 200 and "Phản ánh sản phẩm" in form.text
        assert (data_dir / "intake.sqlite3").exists()
        assert (data_dir / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert f"Citizens' report form:  http://127.0.0.1:{port}/report" in output
