"""Settings read once from the environment into a frozen object.

A bad value fails at start with a message naming the variable; nothing is read lazily.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from intake.env_values import (
    SettingsError as SettingsError,
)
from intake.env_values import (
    hour,
    optional_url,
    positive_float,
    positive_int,
    switch,
    tile_template,
    whole,
)
from intake.sms_settings import SmsSettings, sms_settings
from workflows.audit.notes import NoteError, Signer
from workflows.db.config import default_sqlite_url
from workflows.evidence.storage import EvidenceStore, LocalStore, S3Store
from workflows.mail.addresses import NotAMailbox, sender
from workflows.mail.smtp import TLS_MODES, SmtpConfig
from workflows.reference.loading import DEFAULT_CONFIG_DIR

SECRET_KEY_FILE = "secret_key"
AUDIT_KEY_FILE = "audit_log_key"


SERVICE_NAME = "Phản ánh hàng giả"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    base_url: str
    config_dir: Path
    max_attachments: int = 5
    max_attachment_bytes: int = 10 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_request_pixels: int = 60_000_000
    image_decoders: int = 2
    image_seconds: float = 6.0
    image_memory_mb: int = 1024
    max_description_chars: int = 5000
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    sms: SmsSettings = field(default_factory=SmsSettings)  # INTAKE_SMS_*: intake/sms_settings.py
    outbox_max_attempts: int = 8
    outbox_poll_seconds: float = 2.0
    outbox_first_retry_seconds: float = 60.0
    # How long a sender's claim on a batch lasts: a sender that dies leaves the messages it had
    # not written down to be sent again after this.
    outbox_lease_seconds: float = 300.0
    # After this hour (Vietnam time) the day's scheduled mail is queued: overdue digests, the
    # witnesses' checkpoint, report drafts. None: never on a clock (tests queue it themselves).
    digest_hour: int | None = 7
    # Reports filed per address per hour (web form and Open311 together), and case look-ups on
    # /track per address per hour; 0 turns a limit off (for a trusted gateway).
    report_rate_limit: int = 0
    track_rate_limit: int = 0
    followup_rate_limit: int = 0  # what reporters add to their report, per address per hour
    # Reports per hour from one registered Open311 client (`intake api-client`), unless the
    # client has its own; 0: no limit.
    api_client_rate_limit: int = 0
    # Downloads of figures and line lists per staff account per hour (each counts the period in
    # the database and may render a PDF); 0: no limit.
    export_rate_limit: int = 0
    # PDFs made at once by one worker (LibreOffice takes a CPU for seconds each), and how many
    # more may wait their turn; beyond them a download is refused at once with 503.
    pdf_renders: int = 1
    pdf_queue: int = 4
    # Who runs the Open311 API and issues its keys, for its discovery document.
    open311_contact: str = ""
    honeypot: bool = True  # a hidden field that people leave empty and form-filling bots do not
    # Evidence files in an S3-compatible bucket instead of data_dir/attachments (several
    # machines without a shared volume); the endpoint for stores other than AWS.
    s3_bucket: str = ""
    s3_prefix: str = "attachments/"
    s3_endpoint_url: str = ""
    # Map tiles for the pin on the form and the maps of staff and open data, as a URL template
    # ({z}/{x}/{y}); "" leaves every map out (the form works without one).
    map_tiles: str = ""
    map_attribution: str = ""
    # The audit log's signing key in signed-note form (PRIVATE+KEY+name+hash+key); empty: the
    # one generated into the data folder on first start. Every machine must share it.
    audit_key: str = field(default="", repr=False)
    checkpoint_seconds: float = 60.0  # how often the log's head is signed while events arrive
    # How far an event may be dated before the event or the checkpoint that came before it in
    # the audit log (machines' clocks differ a little); beyond it the sequencer refuses it.
    audit_clock_skew_seconds: int = 300

    @property
    def max_body_bytes(self) -> int:
        """Every allowed photo at its largest, and a megabyte for the fields and the multipart
        framing: no valid report is bigger."""
        return self.max_attachments * self.max_attachment_bytes + 1024 * 1024

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def database_kind(self) -> str:
        return "postgres" if self.database_url.startswith(("postgres", "asyncpg")) else "sqlite"

    @property
    def audit_clock_skew(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.audit_clock_skew_seconds)

    @property
    def log_origin(self) -> str:
        """The audit log's name on its checkpoints: this installation's host, then /audit."""
        return f"{urlsplit(self.base_url).netloc}/audit"

    def existing_audit_signer(self) -> Signer | None:
        """The key, if this machine has one: a verifier must not make up a new one."""
        if self.audit_key:
            return Signer.from_skey(self.audit_key)
        path = self.data_dir / AUDIT_KEY_FILE
        return Signer.from_skey(path.read_text()) if path.exists() else None

    def audit_signer(self) -> Signer:
        return Signer.from_skey(self.audit_key or _stored_secret(
            self.data_dir, AUDIT_KEY_FILE, lambda: Signer.generate(self.log_origin).skey))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("INTAKE_DATA_DIR", "data")).resolve()
        config_dir = Path(env.get("INTAKE_CONFIG_DIR", str(DEFAULT_CONFIG_DIR))).resolve()
        if not config_dir.is_dir():
            raise SettingsError(f"INTAKE_CONFIG_DIR: {config_dir} is not a directory")
        base_url = env.get("INTAKE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
            raise SettingsError(f"INTAKE_BASE_URL: {base_url!r} is not an http(s) URL")
        database_url = env.get("INTAKE_DATABASE_URL") or default_sqlite_url(data_dir)
        if not database_url.startswith(("sqlite://", "postgres://", "asyncpg://")):
            raise SettingsError(
                "INTAKE_DATABASE_URL: expected sqlite://, postgres:// or asyncpg://, "
                f"got {database_url.split(':', 1)[0]!r}"
            )
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=env.get("INTAKE_SECRET_KEY") or _stored_secret(
                data_dir, SECRET_KEY_FILE, lambda: secrets.token_urlsafe(48)),
            base_url=base_url,
            config_dir=config_dir,
            max_attachments=positive_int(env, "INTAKE_MAX_ATTACHMENTS", 5),
            max_attachment_bytes=positive_int(env, "INTAKE_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024),
            max_image_pixels=positive_int(env, "INTAKE_MAX_IMAGE_PIXELS", 40_000_000),
            max_request_pixels=positive_int(env, "INTAKE_MAX_REQUEST_PIXELS", 60_000_000),
            image_decoders=positive_int(env, "INTAKE_IMAGE_DECODERS", 2),
            image_seconds=positive_float(env, "INTAKE_IMAGE_SECONDS", 6.0),
            image_memory_mb=positive_int(env, "INTAKE_IMAGE_MEMORY_MB", 1024),
            max_description_chars=positive_int(env, "INTAKE_MAX_DESCRIPTION_CHARS", 5000),
            smtp=_smtp_config(env),
            sms=sms_settings(env),
            outbox_max_attempts=positive_int(env, "INTAKE_OUTBOX_MAX_ATTEMPTS", 8),
            outbox_poll_seconds=positive_float(env, "INTAKE_OUTBOX_POLL_SECONDS", 2.0),
            outbox_first_retry_seconds=positive_float(env, "INTAKE_OUTBOX_FIRST_RETRY_SECONDS",
                                                       60.0),
            outbox_lease_seconds=positive_float(env, "INTAKE_OUTBOX_LEASE_SECONDS", 300.0),
            digest_hour=None if env.get("INTAKE_DIGEST_HOUR") == "off" else
            hour(env, "INTAKE_DIGEST_HOUR", 7),
            report_rate_limit=whole(env, "INTAKE_RATE_LIMIT", 20),
            track_rate_limit=whole(env, "INTAKE_TRACK_RATE_LIMIT", 300),
            followup_rate_limit=whole(env, "INTAKE_FOLLOWUP_RATE_LIMIT", 20),
            api_client_rate_limit=whole(env, "INTAKE_API_CLIENT_RATE_LIMIT", 1000),
            export_rate_limit=whole(env, "INTAKE_EXPORT_RATE_LIMIT", 30),
            pdf_renders=positive_int(env, "INTAKE_PDF_RENDERS", 1),
            pdf_queue=whole(env, "INTAKE_PDF_QUEUE", 4),
            open311_contact=env.get("INTAKE_OPEN311_CONTACT", ""),
            honeypot=switch(env, "INTAKE_HONEYPOT", True),
            s3_bucket=env.get("INTAKE_S3_BUCKET", ""),
            s3_prefix=env.get("INTAKE_S3_PREFIX", "attachments/"),
            s3_endpoint_url=optional_url(env, "INTAKE_S3_ENDPOINT_URL"),
            map_tiles=tile_template(env),
            map_attribution=env.get("INTAKE_MAP_ATTRIBUTION", "").strip(),
            audit_key=_audit_key(env),
            checkpoint_seconds=positive_float(env, "INTAKE_CHECKPOINT_SECONDS", 60.0),
            audit_clock_skew_seconds=whole(env, "INTAKE_AUDIT_CLOCK_SKEW_SECONDS", 300),
        )


def _audit_key(env: Mapping[str, str]) -> str:
    configured = env.get("INTAKE_AUDIT_KEY", "").strip()
    if configured:
        try:
            Signer.from_skey(configured)
        except NoteError as wrong:
            raise SettingsError(f"INTAKE_AUDIT_KEY: {wrong}") from None
    return configured


def _stored_secret(data_dir: Path, name: str, make: Callable[[], str]) -> str:
    """Generate a key once and keep it in the data dir, so that sessions survive restarts and
    the audit log keeps its signature."""
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    # Written whole to a temporary name, then linked into place: two workers starting at once
    # agree on one key, and neither ever reads a half-written file.
    temporary = data_dir / f".{name}.{secrets.token_hex(8)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(make())
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_text().strip()


def _smtp_config(env: Mapping[str, str]) -> SmtpConfig:
    tls = env.get("INTAKE_SMTP_TLS", "none").strip().lower() or "none"
    if tls not in TLS_MODES:
        raise SettingsError(f"INTAKE_SMTP_TLS: expected one of {', '.join(TLS_MODES)}, got {tls!r}")
    default_port = {"none": 25, "starttls": 587, "tls": 465}[tls]
    # The name a citizen sees in their inbox is the service's own, in Vietnamese.
    mail_from = env.get("INTAKE_MAIL_FROM", f"{SERVICE_NAME} <no-reply@localhost>")
    try:
        sender(mail_from)
    except NotAMailbox as refused:
        raise SettingsError(f"INTAKE_MAIL_FROM: {mail_from!r}: {refused}") from None
    return SmtpConfig(
        host=env.get("INTAKE_SMTP_HOST", "").strip(),
        port=positive_int(env, "INTAKE_SMTP_PORT", default_port),
        username=env.get("INTAKE_SMTP_USERNAME", ""),
        password=env.get("INTAKE_SMTP_PASSWORD", ""),
        tls=tls,
        mail_from=mail_from,
        timeout_seconds=positive_float(env, "INTAKE_SMTP_TIMEOUT_SECONDS", 30.0),
        connections=positive_int(env, "INTAKE_SMTP_CONNECTIONS", 4),
    )


def store_for(settings: Settings) -> EvidenceStore:
    """Where evidence files live under these settings: a bucket, or the data folder."""
    if settings.s3_bucket:
        return S3Store(settings.s3_bucket, settings.s3_prefix, settings.s3_endpoint_url)
    return LocalStore(settings.attachments_dir)
