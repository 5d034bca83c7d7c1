"""Languages: Vietnamese first, English available.

Messages are written in English in the code and templates (gettext ids) and translated from
`intake/locale/<lang>/LC_MESSAGES/messages.po`, compiled in memory at start with Babel.
Dates are shown as dd/mm/yyyy in Vietnam time, amounts as 1.234.567 ₫.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from workflows.sla import VIETNAM

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANGUAGE_COOKIE = "lang"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def translations(language: str) -> gettext.NullTranslations:
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language not in LANGUAGES or not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def pick_language(cookies: Mapping[str, str], query_language: str | None = None) -> str:
    for candidate in (query_language, cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def translate(language: str, message: str, params: Mapping[str, object] | None = None) -> str:
    text = translations(language).gettext(message)
    return text.format(**params) if params else text


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(VIETNAM).date()
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def format_number(value: float | int | None, language: str = "vi") -> str:
    """Thousands grouped as the reader writes them (1.234,5 in Vietnamese, 1,234.5 in English)."""
    if value is None:
        return ""
    return format_decimal(value, locale=language if language in LANGUAGES else "vi")


def format_vnd(amount: int | None) -> str:
    if amount is None:
        return ""
    return f"{format_decimal(amount, locale='vi')} ₫"


class LanguageMiddleware:
    """Put the visitor's language on `request.state.language` (a cookie, or ?lang= for once)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            scope.setdefault("state", {})["language"] = pick_language(
                request.cookies, request.query_params.get("lang"))
        await self.app(scope, receive, send)
