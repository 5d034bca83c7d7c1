from __future__ import annotations

from pathlib import Path

import pytest

from intake.settings import Settings, SettingsError


def test_defaults_put_everything_under_the_data_dir(tmp_path: Path):
    settings = Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite://{tmp_path / 'intake.sqlite3'}?synchronous=NORMAL"
    assert settings.attachments_dir == tmp_path / "attachments"
    # The generated key is kept, so a restart keeps sessions and PIN digests valid.
    assert Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path)}).secret_key == settings.secret_key
    assert settings.secret_key not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"INTAKE_MAX_ATTACHMENTS": "five"}, "INTAKE_MAX_ATTACHMENTS: expected a whole number, got 'five'"),
        ({"INTAKE_MAX_ATTACHMENTS": "0"}, "INTAKE_MAX_ATTACHMENTS: must be greater than 0, got 0"),
        ({"INTAKE_DATABASE_URL": "mysql://x"}, "INTAKE_DATABASE_URL: expected sqlite://"),
        ({"INTAKE_BASE_URL": "intake.example.vn"}, "INTAKE_BASE_URL: 'intake.example.vn' is not"),
        ({"INTAKE_CONFIG_DIR": "/no/such/dir"}, "INTAKE_CONFIG_DIR: /no/such/dir is not a directory"),
    ],
)
def test_a_bad_value_fails_at_start_naming_the_variable(tmp_path: Path, environ, message):
    with pytest.raises(SettingsError) as failure:
        Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path), **environ})
    assert message in str(failure.value)
