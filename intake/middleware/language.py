"""The visitor's language on `request.state.language`: a cookie, or ?lang= for one page."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from workflows.i18n.translations import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "lang"


def preferred_language(accept_language: str) -> str:
    """The language of LANGUAGES an Accept-Language header ranks first (q-values honoured,
    "vi-VN" is "vi"); none named or no header: Vietnamese."""
    ranked = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _, parameters = part.strip().partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        language = tag.strip().lower().split("-")[0]
        if weight > 0 and language in LANGUAGES:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def pick_language(cookies: Mapping[str, str], query_language: str | None = None) -> str:
    for candidate in (query_language, cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            scope.setdefault("state", {})["language"] = pick_language(
                request.cookies, request.query_params.get("lang"))
        await self.app(scope, receive, send)
