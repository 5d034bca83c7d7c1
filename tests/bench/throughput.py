"""Intake throughput: reports per second through `POST /open311/v2/requests.json` (urlencoded,
and multipart with and without a 200 KB photo) and the web form `/report`, against three
references receiving the very same bytes in the same run: the bare Starlette endpoint of
tests/bench/bare.py (parses, stores nothing) and the bare durable one of
tests/bench/bare_durable.py (parses and stores a case, an audit row and an outbox row with the
raw driver in one transaction), and the floor of tests/bench/floor.py (parses as durable does,
and stores Intake's own rows — its case, events, mail and rate count — with fixed SQL and no
logic, which bounds what any Python on top of this schema can reach). The load comes from wrk
(Debian's `wrk`), a separate process over loopback, with a fixed number of connections for a
fixed time; every server is one uvicorn worker. Intake's rate limit counts every request (a
limit too high to refuse, never off). Goals: Intake ≥ 0.5 × bare durable with and without a
photo (issue 38; the durable reference writes the photo too), ≥ 0.3 × bare without a photo and
≥ 0.2 × with one (issue 20), and at most 1.5 ms of the server's CPU per report (its process's
user and system time over the run, the database server's not counted)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from PIL import Image

from tests.bench.common import Figure, Results, bench_settings, drop_database, fresh_database
from tests.helpers import VALID_REPORT
from tests.intake.api.test_open311 import API_REPORT
from tests.live import INTAKE, free_port, wait_until_answering

GOAL_DURABLE, GOAL_BARE, GOAL_BARE_PHOTO, GOAL_CPU_MS = 0.5, 0.3, 0.2, 1.5
# The limiter counts each report, as in production, but never refuses one in a benchmark.
COUNTING_LIMIT = "1000000000"
PHOTO_BYTES = 200 * 1024
# wrk's Lua: the body and headers from files, the percentiles in microseconds as JSON.
WRK_SCRIPT = """
local body = io.open(os.getenv("BENCH_BODY"), "rb"):read("*a")
wrk.method = "POST"
wrk.body = body
for line in io.lines(os.getenv("BENCH_HEADERS")) do
  local name, value = line:match("^([^:]+): (.*)$")
  wrk.headers[name] = value
end
function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "errors": %d, "p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    fields: dict[str, str]
    file_field: str  # "": urlencoded, as most Open311 clients send
    with_photo: bool
    needs_csrf: bool


SCENARIOS = (
    Scenario("Open311 POST urlencoded", "/open311/v2/requests.json", API_REPORT, "", False,
             False),
    Scenario("Open311 POST multipart, no photo", "/open311/v2/requests.json", API_REPORT,
             "media", False, False),
    Scenario("Open311 POST, one 200 KB photo", "/open311/v2/requests.json", API_REPORT, "media",
             True, False),
    # "new": a report of its own, as a citizen who declined the offer of the same goods sends.
    Scenario("web form, no photo", "/report", {**VALID_REPORT, "join_case": "new"}, "photos", False,
             True),
    Scenario("web form, one 200 KB photo", "/report", {**VALID_REPORT, "join_case": "new"}, "photos",
             True, True),
)


def photo() -> bytes:
    """A JPEG of about 200 KB, as a phone photo scaled down for upload would be."""
    side = 200
    while True:
        output = io.BytesIO()
        Image.effect_noise((side, side), 64).convert("RGB").save(output, "JPEG", quality=90)
        if output.tell() >= PHOTO_BYTES:
            return output.getvalue()
        side += 20


def multipart(fields: dict[str, str], file_field: str, content: bytes | None) -> tuple[bytes, str]:
    """The body and content type a browser would send; an empty file part when no photo, as a
    browser sends for a file input left empty (no file field: urlencoded)."""
    if not file_field:
        request = httpx.Request("POST", "http://bench/", data=fields)
        return request.read(), request.headers["content-type"]
    part = ("tem.jpg", content, "image/jpeg") if content else ("", b"", "application/octet-stream")
    request = httpx.Request("POST", "http://bench/", data=fields, files=[(file_field, part)])
    return request.read(), request.headers["content-type"]


@dataclass(frozen=True)
class Served:
    base: str  # http://127.0.0.1:port
    pid: int

    def cpu_seconds(self) -> float:
        """The user and system time the server's process has used so far (one worker: the
        process that answers)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(command: list[str], port: int, env: dict[str, str]) -> Iterator[Served]:
    server = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(server, base)
    try:
        yield Served(base, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrk(url: str, body: bytes, headers: dict[str, str], connections: int,
        seconds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        script, body_file, header_file = (Path(folder) / name for name in
                                          ("bench.lua", "body", "headers"))
        script.write_text(WRK_SCRIPT)
        body_file.write_bytes(body)
        header_file.write_text("".join(f"{name}: {value}\n" for name, value in headers.items()))
        finished = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
             "-s", str(script), url],
            env={**os.environ, "BENCH_BODY": str(body_file), "BENCH_HEADERS": str(header_file)},
            capture_output=True, text=True, check=True)
    line = next(line for line in finished.stdout.splitlines() if line.startswith("{"))
    return json.loads(line)


async def throughput_part(kind: str, connections: int, seconds: int, results: Results) -> None:
    if not shutil.which("wrk"):
        raise SystemExit("The throughput benchmark needs wrk: apt-get install wrk")
    url = await fresh_database(kind, "throughput")
    settings = bench_settings(url)
    shutil.rmtree(settings.data_dir / "attachments", ignore_errors=True)
    intake_env = {"INTAKE_DATABASE_URL": url, "INTAKE_DATA_DIR": str(settings.data_dir),
                  "INTAKE_SECRET_KEY": settings.secret_key, "INTAKE_RATE_LIMIT": COUNTING_LIMIT,
                  "INTAKE_API_CLIENT_RATE_LIMIT": COUNTING_LIMIT}
    durable_url = await fresh_database(kind, "durable")
    if durable_url.startswith("sqlite"):
        durable_url = durable_url.split("?")[0]
    floor_url = await fresh_database(kind, "floor")
    intake_port, bare_port, durable_port, floor_port = (free_port() for _ in range(4))
    image = photo()
    uvicorn = [sys.executable, "-m", "uvicorn", "--log-level", "info", "--port"]
    try:
        with serving([*INTAKE, "serve", "--port", str(intake_port)], intake_port,
                     intake_env) as intake, \
             serving([*uvicorn, str(bare_port), "tests.bench.bare:app"], bare_port, {}) as bare, \
             serving([*uvicorn, str(durable_port), "tests.bench.bare_durable:app"], durable_port,
                     {"BENCH_DURABLE_URL": durable_url}) as durable, \
             serving([*uvicorn, str(floor_port), "tests.bench.floor:app"], floor_port,
                     {"BENCH_FLOOR_URL": floor_url, "BENCH_FLOOR_TEMPLATE_URL": url}) as floor:
            for scenario in SCENARIOS:
                fields, headers = dict(scenario.fields), {}
                if scenario.needs_csrf:
                    page = httpx.get(f"{intake.base}/report")
                    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                    assert token, "no CSRF token on /report"
                    fields["csrf_token"] = token.group(1)
                    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
                body, content_type = multipart(fields, scenario.file_field,
                                               image if scenario.with_photo else None)
                headers["Content-Type"] = content_type
                check = httpx.post(f"{intake.base}{scenario.path}", content=body,
                                   headers=headers)
                assert check.status_code in (201, 303), (scenario.name, check.status_code,
                                                         check.text[:500])
                measured = {}
                for target, served in (("intake", intake), ("floor", floor),
                                       ("bare durable", durable), ("bare", bare)):
                    before = served.cpu_seconds()
                    measured[target] = wrk(f"{served.base}{scenario.path}", body, headers,
                                           connections, seconds)
                    measured[target]["cpu_seconds"] = served.cpu_seconds() - before
                _report(kind, scenario, measured, len(body), results)
    finally:
        await drop_database(url)
        await drop_database(durable_url)
        await drop_database(floor_url)


def _report(kind: str, scenario: Scenario, measured: dict[str, dict[str, float]], size: int,
            results: Results) -> None:
    rates = {target: figures["requests"] / figures["seconds"]
             for target, figures in measured.items()}
    for target, figures in measured.items():
        if figures["errors"]:
            raise SystemExit(f"{target} answered {figures['errors']} errors in {scenario.name}")
        note = (f"p50 {figures['p50'] / 1000:.1f} ms, p95 {figures['p95'] / 1000:.1f} ms, "
                f"p99 {figures['p99'] / 1000:.1f} ms, body {size / 1024:.0f} KiB")
        results.add(Figure("throughput", kind, f"{scenario.name}: {target}", rates[target],
                           "req/s", note=note))
        print(f"  {'':9} {note}", flush=True)
    to_bare = rates["intake"] / rates["bare"]
    bare_goal = GOAL_BARE_PHOTO if scenario.with_photo else GOAL_BARE
    results.add(Figure("throughput", kind, f"{scenario.name}: intake / bare", to_bare, "×",
                       goal=f"≥ {bare_goal}", met=to_bare >= bare_goal))
    to_durable = rates["intake"] / rates["bare durable"]
    results.add(Figure("throughput", kind, f"{scenario.name}: intake / bare durable",
                       to_durable, "×", goal=f"≥ {GOAL_DURABLE}",
                       met=to_durable >= GOAL_DURABLE))
    # Intake's rows stored with no logic at all: the most Intake ÷ durable could be.
    results.add(Figure("throughput", kind, f"{scenario.name}: floor / bare durable",
                       rates["floor"] / rates["bare durable"], "×"))
    for target in ("intake", "floor", "bare durable"):
        cpu_ms = measured[target]["cpu_seconds"] * 1000 / measured[target]["requests"]
        goal = target == "intake"
        results.add(Figure("throughput", kind, f"{scenario.name}: {target} CPU per report",
                           cpu_ms, "ms", goal=f"≤ {GOAL_CPU_MS}" if goal else "",
                           met=cpu_ms <= GOAL_CPU_MS if goal else None))
