"""Marking user-facing messages for translation where they are written.

Messages are English gettext ids (with {placeholders}); pages and mails translate them into
the reader's language when they are shown. `pybabel extract -k N_` finds them.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message
