"""Registered Open311 clients and their keys. A key is shown once, when the client is
registered; the database keeps its SHA-256 only (a key is 256 random bits: no slow hash
needed, and a stolen copy of the table opens nothing)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from workflows.access.models import ApiClient

KEY_PREFIX = "intake_"
MAX_NAME_CHARS = 100
MAX_KEY_CHARS = 200


class ClientError(Exception):
    """What an operator asked cannot be done; the message says why."""


@dataclass(frozen=True)
class KnownClient:
    """The client a request's key names: what the filing and the limits need of it."""

    id: int
    name: str
    collects_consent: bool
    reports_per_hour: int | None  # None: the installation's default

    @property
    def subject(self) -> str:
        """What its allowances are counted against, instead of an address."""
        return f"client:{self.id}"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


async def register_client(name: str, *, collects_consent: bool = False,
                          reports_per_hour: int | None = None) -> tuple[ApiClient, str]:
    """The new client and its key (shown once)."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_CHARS or not name.isprintable():
        raise ClientError(f"a client's name is 1 to {MAX_NAME_CHARS} printable characters")
    if reports_per_hour is not None and reports_per_hour < 0:
        raise ClientError("--reports-per-hour must be 0 (no limit) or more")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        client = await ApiClient.create(name=name, key_digest=key_digest(key),
                                        collects_consent=collects_consent,
                                        reports_per_hour=reports_per_hour)
    except IntegrityError:
        raise ClientError(f"a client named {name!r} exists already") from None
    return client, key


async def list_clients() -> list[ApiClient]:
    return await ApiClient.all().order_by("id")


async def revoke_client(name: str) -> ApiClient:
    client = await ApiClient.get_or_none(name=name.strip())
    if client is None:
        raise ClientError(f"no client is named {name!r}")
    if client.revoked_at is None:
        client.revoked_at = dt.datetime.now(dt.UTC)
        await client.save(update_fields=["revoked_at"])
    return client


async def client_for_key(key: str) -> KnownClient | None:
    """The active client this key belongs to; None for an unknown or revoked key."""
    if not key or len(key) > MAX_KEY_CHARS:
        return None
    client = await ApiClient.get_or_none(key_digest=key_digest(key),
                                        revoked_at__isnull=True)
    if client is None:
        return None
    return KnownClient(client.id, client.name, client.collects_consent, client.reports_per_hour)


async def client_names(ids: set[int]) -> dict[int, str]:
    """Names of the clients the audit trail mentions, looked up once."""
    if not ids:
        return {}
    rows = await ApiClient.filter(id__in=ids).values_list("id", "name")
    return {int(client_id): str(name) for client_id, name in rows}
