"""What a spreadsheet must not take for a formula: a text cell starting with =, +, -, @, a tab
or a carriage return is written with a leading apostrophe (OWASP's CSV injection advice)."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
