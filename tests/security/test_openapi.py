"""Property-based: schemathesis sends generated and mutated requests to every Open311 operation
of a running server, as described by its own /open311/v2/openapi.json, and checks that no answer
is a 500 and every answer fits the document."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.live import free_port, wait_until_answering


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "INTAKE_DATA_DIR": str(tmp_path_factory.mktemp("api") / "data"),
           "INTAKE_BASE_URL": base_url, "INTAKE_RATE_LIMIT": "0",
           "INTAKE_TRACK_RATE_LIMIT": "0"}
    env.pop("INTAKE_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "intake.cli", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until_answering(server, base_url)
    yield base_url
    server.terminate()
    _, errors = server.communicate(timeout=10)
    Path(tmp_path_factory.getbasetemp(), "api-server.log").write_bytes(errors)
    assert b"Traceback" not in errors, errors.decode()[-3000:]


def test_the_open311_api_never_fails_and_keeps_to_its_document(live_server: str):
    schema = schemathesis.openapi.from_url(f"{live_server}/open311/v2/openapi.json")
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def answers_well(case: schemathesis.Case) -> None:
            # Every check but "valid data is accepted": the document gives the fields' types,
            # not every rule (a barcode's check digit, a date not in the future…).
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        answers_well()
        checked.append(operation.label)
    assert len(checked) == 9, checked  # every operation of the document was exercised
