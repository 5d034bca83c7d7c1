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
    assert not settings.smtp.configured


def test_public_limits_default_on_and_zero_turns_them_off(tmp_path: Path):
    defaults = Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path)})
    assert (defaults.report_rate_limit, defaults.track_rate_limit, defaults.honeypot) == (
        20, 300, True)
    gateway = Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path), "INTAKE_RATE_LIMIT": "0",
                                 "INTAKE_TRACK_RATE_LIMIT": "0", "INTAKE_HONEYPOT": "off"})
    assert (gateway.report_rate_limit, gateway.track_rate_limit, gateway.honeypot) == (
        0, 0, False)


def test_staff_downloads_are_limited_by_default(tmp_path: Path):
    defaults = Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path)})
    assert (defaults.export_rate_limit, defaults.pdf_renders, defaults.pdf_queue) == (30, 1, 4)
    unlimited = Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path),
                                   "INTAKE_EXPORT_RATE_LIMIT": "0", "INTAKE_PDF_QUEUE": "0"})
    assert (unlimited.export_rate_limit, unlimited.pdf_queue) == (0, 0)


def test_scheduled_mail_goes_after_the_hour_set_or_not_at_all(tmp_path: Path):
    assert Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path)}).digest_hour == 7
    assert Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path),
                              "INTAKE_DIGEST_HOUR": "16"}).digest_hour == 16
    assert Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path),
                              "INTAKE_DIGEST_HOUR": "off"}).digest_hour is None


def test_a_senders_claim_lasts_five_minutes_unless_set(tmp_path: Path):
    assert Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path)}).outbox_lease_seconds == 300
    assert Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path),
                              "INTAKE_OUTBOX_LEASE_SECONDS": "90"}).outbox_lease_seconds == 90


def test_smtp_settings_pick_the_port_for_the_tls_mode_and_hide_the_password(tmp_path: Path):
    settings = Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path), "INTAKE_SMTP_HOST": "mail.tinh.gov.vn",
                                  "INTAKE_SMTP_TLS": "starttls", "INTAKE_SMTP_PASSWORD": "bí-mật"})
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.tls) == ("mail.tinh.gov.vn", 587, "starttls")
    assert "bí-mật" not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"INTAKE_MAX_ATTACHMENTS": "five"}, "INTAKE_MAX_ATTACHMENTS: expected a whole number, got 'five'"),
        ({"INTAKE_MAX_ATTACHMENTS": "0"}, "INTAKE_MAX_ATTACHMENTS: must be greater than 0, got 0"),
        ({"INTAKE_DATABASE_URL": "mysql://x"}, "INTAKE_DATABASE_URL: expected sqlite://"),
        ({"INTAKE_BASE_URL": "intake.example.vn"}, "INTAKE_BASE_URL: 'intake.example.vn' is not"),
        ({"INTAKE_CONFIG_DIR": "/no/such/dir"}, "INTAKE_CONFIG_DIR: /no/such/dir is not a directory"),
        ({"INTAKE_SMTP_TLS": "ssl"}, "INTAKE_SMTP_TLS: expected one of none, starttls, tls, got 'ssl'"),
        ({"INTAKE_DIGEST_HOUR": "24"}, "INTAKE_DIGEST_HOUR: expected an hour from 0 to 23, got '24'"),
        ({"INTAKE_MAIL_FROM": "Intake"}, "INTAKE_MAIL_FROM: 'Intake': give one address"),
        ({"INTAKE_MAIL_FROM": "a@x.vn, b@y.vn"}, "INTAKE_MAIL_FROM: 'a@x.vn, b@y.vn': give one"),
        ({"INTAKE_RATE_LIMIT": "-1"}, "INTAKE_RATE_LIMIT: must be 0 (no limit) or more, got -1"),
        ({"INTAKE_HONEYPOT": "maybe"}, "INTAKE_HONEYPOT: expected on or off, got 'maybe'"),
        ({"INTAKE_PDF_RENDERS": "0"}, "INTAKE_PDF_RENDERS: must be greater than 0, got 0"),
        ({"INTAKE_EXPORT_RATE_LIMIT": "x"}, "INTAKE_EXPORT_RATE_LIMIT: expected a whole number"),
        ({"INTAKE_OUTBOX_LEASE_SECONDS": "0"}, "INTAKE_OUTBOX_LEASE_SECONDS: must be greater than 0"),
    ],
)
def test_a_bad_value_fails_at_start_naming_the_variable(tmp_path: Path, environ, message):
    with pytest.raises(SettingsError) as failure:
        Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path), **environ})
    assert message in str(failure.value)


def test_the_audit_key_is_generated_once_kept_private_and_named_for_the_site(tmp_path: Path):
    env = {"INTAKE_DATA_DIR": str(tmp_path), "INTAKE_BASE_URL": "https://intake.example.vn"}
    signer = Settings.from_env(env).audit_signer()
    assert signer.name == "intake.example.vn/audit"
    again = Settings.from_env(env).audit_signer()
    assert again.verifier == signer.verifier  # a restart keeps the log's key
    assert (tmp_path / "audit_log_key").stat().st_mode & 0o077 == 0
    given = Settings.from_env({**env, "INTAKE_AUDIT_KEY": signer.skey,
                               "INTAKE_DATA_DIR": str(tmp_path / "other")})
    assert given.audit_signer().verifier == signer.verifier
    assert signer.skey not in repr(given)
    assert Settings.from_env(env).checkpoint_seconds == 60.0


@pytest.mark.parametrize(("environ", "message"), [
    ({"INTAKE_AUDIT_KEY": "not a key"}, "INTAKE_AUDIT_KEY: not a signer key"),
    ({"INTAKE_AUDIT_KEY": "PRIVATE+KEY+x+00000000+AQ=="}, "INTAKE_AUDIT_KEY: not an Ed25519"),
    ({"INTAKE_CHECKPOINT_SECONDS": "0"}, "INTAKE_CHECKPOINT_SECONDS"),
])
def test_a_bad_audit_setting_fails_at_start(tmp_path: Path, environ, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"INTAKE_DATA_DIR": str(tmp_path), **environ})
