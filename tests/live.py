"""The `intake` command in a real process: for tests that need a server over TCP (a browser,
several workers, a kill) or the command line as an operator types it."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from typing import IO

import httpx

from intake.settings import Settings

INTAKE = [sys.executable, "-m", "intake.cli"]
# As in the tests' own settings: no digest, checkpoint or report-reminder mail of its own
# accord, whose turn depends on the hour and the date the suite runs (a test may ask for it).
NO_SCHEDULED_MAIL = {"INTAKE_DIGEST_HOUR": "off"}


def run_intake(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*INTAKE, *args], env={**os.environ, **NO_SCHEDULED_MAIL, **env},
                          capture_output=True, text=True, timeout=timeout)


# Ports a test may take while the suite runs in parallel (pytest-xdist): each worker its own
# slice, below the system's ephemeral range, so that a port one worker found free and has not
# bound yet is never another worker's; without xdist, the system picks.
PORTS_PER_WORKER = 5000
FIRST_WORKER_PORT = 10000


def free_port() -> int:
    """A port free on 127.0.0.1 now, for a server this test is about to start."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return _bind_probe(0)
    first = FIRST_WORKER_PORT + int(worker.removeprefix("gw")) * PORTS_PER_WORKER
    while True:
        try:
            return _bind_probe(random.randrange(first, first + PORTS_PER_WORKER))
        except OSError:  # taken: another of this worker's servers, or the system's
            continue


def _bind_probe(port: int) -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))
        return int(probe.getsockname()[1])


def start_server(settings: Settings, port: int, workers: int = 1,
                 env: dict[str, str] | None = None,
                 output: IO[str] | int = subprocess.DEVNULL) -> subprocess.Popen:
    """`intake serve` on `settings`' database and data folder, once it answers /healthz.
    No rate limits: the load comes from one address. `output`: where its log goes."""
    environment = {**os.environ, "INTAKE_DATABASE_URL": settings.database_url,
                   "INTAKE_DATA_DIR": str(settings.data_dir),
                   "INTAKE_SECRET_KEY": settings.secret_key,
                   "INTAKE_CONFIG_DIR": str(settings.config_dir),
                   "INTAKE_BASE_URL": f"http://127.0.0.1:{port}",
                   "INTAKE_RATE_LIMIT": "0", "INTAKE_TRACK_RATE_LIMIT": "0",
                   **NO_SCHEDULED_MAIL, **(env or {})}
    server = subprocess.Popen([*INTAKE, "serve", "--port", str(port), "--workers", str(workers)],
                              env=environment, stdout=output, stderr=output)
    wait_until_answering(server, f"http://127.0.0.1:{port}")
    return server


def wait_until_answering(server: subprocess.Popen, base_url: str, seconds: float = 30) -> None:
    """Until the server answers HTTP at all (any status); fails if it exits or stays silent."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(f"{base_url}/healthz", timeout=1)
            return
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{server.args} did not answer on {base_url}") from None
            time.sleep(0.1)
