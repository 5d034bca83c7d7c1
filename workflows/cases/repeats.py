"""A filing sent again must not make a second case. A client whose answer was lost (a timeout,
a dropped connection) sends the same request again: with the same Idempotency-Key header, or —
a registered client such as FixMyStreet, which sends no such header — the same fields within a
day. The retry gets the first filing's answer, its PIN included (kept sealed with the secret
key for that day only), and is neither validated, nor charged to a limit, nor stored again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.cases.models import Case, FilingKey

REPEAT_WINDOW = dt.timedelta(hours=24)
MAX_IDEMPOTENCY_KEY_CHARS = 255


@dataclass(frozen=True)
class RepeatKey:
    """Where a filing is remembered: its scope (a client, or anyone), its key, and what the
    request said (a key sent again with other content is a mistake, not a retry)."""

    scope: str
    key: str
    request_digest: str


@dataclass(frozen=True)
class EarlierFiling:
    case: Case
    pin: str


class KeyReused(Exception):
    """The Idempotency-Key was used before for a request with other content."""


def request_digest(fields: Sequence[tuple[str, str]], files: Sequence[str]) -> str:
    """What a request says: every field value (a repeated name's too) and its files' SHA-256,
    in a stable order."""
    content = {"fields": sorted(fields), "files": sorted(files)}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()


def by_idempotency_key(scope: str, header: str, digest: str) -> RepeatKey:
    return RepeatKey(scope, "h:" + hashlib.sha256(header.encode("utf-8")).hexdigest(), digest)


def by_content(scope: str, digest: str) -> RepeatKey:
    """Two people may send the same words through one app: a match by content gives the
    first filing's id, never its PIN."""
    return RepeatKey(scope, "c:" + digest, digest)


def _box(secret_key: str) -> Fernet:
    derived = hmac.new(secret_key.encode("utf-8"), b"intake filing-key pin", hashlib.sha256)
    return Fernet(base64.urlsafe_b64encode(derived.digest()))


async def earlier_filing(repeat: RepeatKey, secret_key: str,
                         now: dt.datetime | None = None) -> EarlierFiling | None:
    """The filing this request repeats, if it was made within the window. KeyReused if the
    key came with other content."""
    since = (now or dt.datetime.now(dt.UTC)) - REPEAT_WINDOW
    found = await FilingKey.filter(scope=repeat.scope, key=repeat.key,
                                   created_at__gte=since).select_related("case").first()
    if found is None:
        return None
    if not hmac.compare_digest(found.request_digest, repeat.request_digest):
        raise KeyReused()
    if repeat.key.startswith("c:"):
        return EarlierFiling(found.case, "")
    try:
        pin = _box(secret_key).decrypt(found.sealed_pin.encode("ascii")).decode("ascii")
    except InvalidToken:  # the secret key changed since: the case stands, its PIN is gone
        pin = ""
    return EarlierFiling(found.case, pin)


async def remember(connection: BaseDBAsyncClient, repeat: RepeatKey, case: Case, pin: str,
                   secret_key: str, now: dt.datetime) -> None:
    """Inside the filing's transaction: a twin racing this one fails on the unique key and
    rolls back whole. A key past its window is forgotten first, so it can be used again."""
    await FilingKey.filter(scope=repeat.scope, key=repeat.key,
                           created_at__lt=now - REPEAT_WINDOW).using_db(connection).delete()
    sealed = _box(secret_key).encrypt(pin.encode("ascii")).decode("ascii")
    await FilingKey.create(using_db=connection, scope=repeat.scope, key=repeat.key,
                           request_digest=repeat.request_digest, case=case, sealed_pin=sealed,
                           created_at=now)


async def taken(repeat: RepeatKey) -> bool:
    return await FilingKey.exists(scope=repeat.scope, key=repeat.key)


async def forget_stale(now: dt.datetime | None = None) -> int:
    """Housekeeping: filings past their window, with their sealed PINs, are deleted."""
    since = (now or dt.datetime.now(dt.UTC)) - REPEAT_WINDOW
    return int(await FilingKey.filter(created_at__lt=since).delete())
