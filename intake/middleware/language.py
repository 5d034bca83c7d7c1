"""The visitor's language on `request.state.language`: a cookie, or ?lang= for one page."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from workflows.i18n.translations import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "lang"


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
