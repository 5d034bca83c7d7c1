"""The committed migrations match the models, and apply on an empty database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from intake.settings import CHECKOUT_DIR


def test_models_and_migrations_agree(tmp_path):
    # makemigrations writes a file when it finds a change, so it runs on a copy.
    shutil.copytree(CHECKOUT_DIR / "workflows", tmp_path / "workflows",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # The tortoise CLI waits forever if the SQLite file's folder is missing: create it.
    (tmp_path / "data").mkdir()
    env = {**os.environ, "INTAKE_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(tmp_path)}
    env.pop("INTAKE_DATABASE_URL", None)
    command = [sys.executable, "-m", "tortoise", "-c", "workflows.database.TORTOISE_ORM"]
    migrate = subprocess.run([*command, "migrate"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=60)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    check = subprocess.run([*command, "makemigrations"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert "No changes detected" in check.stdout, check.stdout + check.stderr
