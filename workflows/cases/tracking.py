"""Tracking codes and reporter PINs.

A tracking code is 10 random Crockford base32 characters (50 bits): short enough to read out on
the phone, with no I, L, O or U to confuse, and not guessable from any other code. The PIN that
goes with it is 8 random digits, kept only as an HMAC under the server's secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
PIN_LENGTH = 8
# Fewer characters of a code would find other cases too (4 of them: 1 in 150,000 codes).
MIN_CODE_PART = 5
# Crockford decoding: letters people type by mistake for digits.
_TYPO_FIXES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_tracking_code() -> str:
    return "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(CODE_LENGTH))


def format_tracking_code(code: str) -> str:
    """ABCDE-FGHJK: two groups of five are easier to read out and copy."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def normalize_tracking_code(typed: str) -> str | None:
    """The stored form of what a person typed, or None if it cannot be a tracking code."""
    compact = "".join(ch for ch in typed.upper() if ch not in " -.").translate(_TYPO_FIXES)
    if len(compact) != CODE_LENGTH or any(ch not in CROCKFORD_ALPHABET for ch in compact):
        return None
    return compact


def tracking_code_part(typed: str) -> str | None:
    """A part of a tracking code as staff type it from a paper or a call ("WK346", "wk346-7a",
    "K3467A"), in its stored form; None unless it holds at least MIN_CODE_PART of its
    characters and a digit (a word such as "BANH" is not a code's part), with at most one
    dash or space between."""
    pieces = typed.upper().replace("-", " ").split()
    compact = "".join(pieces).translate(_TYPO_FIXES)
    if not (MIN_CODE_PART <= len(compact) < CODE_LENGTH and len(pieces) <= 2
            and any(ch.isdigit() for ch in typed)):
        return None
    return compact if all(ch in CROCKFORD_ALPHABET for ch in compact) else None


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def format_pin(pin: str) -> str:
    return f"{pin[:4]} {pin[4:]}"


def pin_digest(secret_key: str, tracking_code: str, pin: str) -> str:
    message = f"{tracking_code}:{pin}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def pin_matches(secret_key: str, tracking_code: str, typed_pin: str, digest: str) -> bool:
    pin = "".join(ch for ch in typed_pin if ch.isdigit())
    return hmac.compare_digest(pin_digest(secret_key, tracking_code, pin), digest)
