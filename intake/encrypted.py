"""Values a browser carries back to us but must not read: the receipt's one-time PIN, the
case an "I saw this too" choice names. Signing (itsdangerous) proves a value is ours but
leaves it readable in base64; these are encrypted and authenticated with Fernet
(cryptography: AES-128-CBC and HMAC-SHA256, a timestamp for their age), under a key drawn
from the server's secret for each purpose, so that a value made for one purpose is refused
for another."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@lru_cache(maxsize=32)
def _fernet(secret_key: str, purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=f"intake.{purpose}".encode()).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret_key: str, purpose: str, value: Any) -> str:
    """`value` (anything JSON holds), as a token only this server can open."""
    return _fernet(secret_key, purpose).encrypt(json.dumps(value).encode()).decode("ascii")


def decrypt(secret_key: str, purpose: str, token: str, max_age: int) -> Any:
    """The value, if the token is ours, for this purpose, unaltered and at most `max_age`
    seconds old; None otherwise."""
    try:
        return json.loads(_fernet(secret_key, purpose).decrypt(token.encode("ascii"),
                                                               ttl=max_age))
    except (InvalidToken, UnicodeEncodeError, ValueError):
        return None
