"""Staff accounts, their sessions, and the counters behind every limit. Times are stored in UTC."""

# Class docstrings become table comments in migrations; see workflows/cases/models/case.py.

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class StaffUser(Model):
    """A person who works cases: admin, officer, lead, inspector or analyst."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)  # stored lower-case
    name = fields.CharField(max_length=100, default="")
    role = fields.CharField(max_length=16)
    # Leads and inspectors belong to one agency and see only its cases.
    agency_code = fields.CharField(max_length=16, null=True)
    password_hash = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)
    # A steering-committee account granted the reporters' personal data (others never are).
    personal_data = fields.BooleanField(default=False, db_default=False)
    # The kinds of staff notice (workflows.mail.staff_notices) this person turned off.
    muted_notices: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff_user"


class StaffSession(Model):
    """A signed-in browser. The cookie holds a random token, and only its SHA-256 is stored here,
    so a stolen database copy opens no session."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    token_digest = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="sessions", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()  # absolute limit, whatever the activity
    revoked = fields.BooleanField(default=False)

    class Meta:
        table = "staff_session"


class LoginThrottle(Model):
    """Attempts at a secret counted per subject (a lockout of workflows.access.limits), in the
    database so that every worker sees the same count."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    # "account:<email>", "ip:<address>", "pin:<tracking code>:<address>"
    key = fields.CharField(max_length=300, unique=True)
    failures = fields.IntField(default=0)
    window_start = fields.DatetimeField()
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "login_throttle"


class RateCounter(Model):
    """Requests counted per key ("report:<address>") in a window, in the database so that
    every worker counts against the same allowance."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=300, unique=True)
    window_start = fields.DatetimeField()
    hits = fields.IntField(default=0)

    class Meta:
        table = "rate_counter"


class ApiClient(Model):
    """A registered Open311 client (a FixMyStreet instance, an app): its key is given once and
    only its SHA-256 is kept. Its filings are counted against its own allowance and named in
    the audit trail."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    key_digest = fields.CharField(max_length=64, unique=True)
    # It asks its users for consent to pass on their contact details (as FixMyStreet does).
    collects_consent = fields.BooleanField(default=False)
    # Reports per hour; None: the installation's INTAKE_API_CLIENT_RATE_LIMIT.
    reports_per_hour = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_client"
