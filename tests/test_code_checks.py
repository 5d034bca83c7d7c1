"""Ruff and mypy run with the suite, so a lint or type error fails it like any other test."""

from __future__ import annotations

import subprocess
import sys

from workflows.i18n.locations import CHECKOUT_DIR


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=CHECKOUT_DIR, capture_output=True,
                          text=True, timeout=300)


def test_ruff_finds_nothing():
    result = run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = run("mypy", "intake", "workflows")
    assert result.returncode == 0, result.stdout + result.stderr
