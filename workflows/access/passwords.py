"""Password hashing: argon2id with the library's current recommended parameters, run in worker
threads, a few at a time, so that a burst of sign-ins never stalls the event loop (each hash
takes tens of milliseconds of CPU and tens of megabytes)."""

from __future__ import annotations

import asyncio
import secrets
import weakref

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHES_AT_ONCE = 2  # per worker: the machine's cores, not the requests waiting, set the pace
_hasher = PasswordHasher()
# Verified against when the account does not exist, so both answers take as long.
_UNKNOWN_ACCOUNT_HASH = _hasher.hash(secrets.token_urlsafe(16))
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary())


def _limiter() -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    if loop not in _LIMITERS:
        _LIMITERS[loop] = anyio.CapacityLimiter(HASHES_AT_ONCE)
    return _LIMITERS[loop]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _UNKNOWN_ACCOUNT_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


async def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether the password is right; an absent account costs as long as a present one."""
    return await anyio.to_thread.run_sync(_verify, stored_hash, password, limiter=_limiter())


async def rehashed(stored_hash: str, password: str) -> str | None:
    """A new hash when the stored one used older parameters; None when it is current."""
    if not _hasher.check_needs_rehash(stored_hash):
        return None
    return await anyio.to_thread.run_sync(hash_password, password, limiter=_limiter())
