"""An outside party's own reference: what a business asked to explain or a brand owner asked
for its opinion quotes when it writes or calls. It is never the case's tracking code, which
opens the case's public page (/track) and its Open311 record: a party that held it could
watch the case move, even to the police. Twelve characters, so it is never read as a
tracking code (ten)."""

from __future__ import annotations

import secrets

from workflows.cases.tracking import CROCKFORD_ALPHABET

EXPLANATION = "GT"  # giải trình: a business asked to explain
BRAND_INQUIRY = "XM"  # xác minh: a brand owner asked whether goods are genuine
RANDOM_CHARACTERS = 10  # 50 bits: no two references meet, and none can be guessed


def new_reference(kind: str) -> str:
    return kind + "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(RANDOM_CHARACTERS))


def format_reference(reference: str) -> str:
    """GT-ABCDE-FGHJK, read out as the tracking codes are."""
    if len(reference) != len(EXPLANATION) + RANDOM_CHARACTERS:
        return reference
    return f"{reference[:2]}-{reference[2:7]}-{reference[7:]}"


def normalize_reference(typed: str) -> str | None:
    """The stored form of a reference a person typed (dashes and spaces dropped), or None."""
    compact = "".join(ch for ch in typed.upper() if ch not in " -.")
    if (len(compact) != len(EXPLANATION) + RANDOM_CHARACTERS
            or compact[:2] not in (EXPLANATION, BRAND_INQUIRY)
            or any(ch not in CROCKFORD_ALPHABET for ch in compact[2:])):
        return None
    return compact
