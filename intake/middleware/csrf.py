"""CSRF protection for the public and staff forms: a signed double-submit token.

A random value lives in an HttpOnly cookie; each form carries that value signed with the
server's secret. A POST is accepted only when the two agree and the signature is fresh.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "intake_csrf"
CSRF_FIELD = "csrf_token"
# A citizen may take a while to gather photos and receipts before pressing "Send".
CSRF_MAX_AGE_SECONDS = 24 * 3600


class CsrfCookieMiddleware:
    """Give every visitor a CSRF cookie the first time they come, before any form is shown.
    The Open311 API has no forms and takes no cookie: its answers set none."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/open311/"):
            await self.app(scope, receive, send)
            return
        cookies = SimpleCookie()
        for name, value in scope["headers"]:
            if name == b"cookie":
                try:
                    cookies.load(value.decode("latin-1"))
                except Exception:  # a malformed Cookie header just means no cookie
                    pass
        existing = cookies.get(CSRF_COOKIE)
        if existing is not None and len(existing.value) >= 32:
            scope.setdefault("state", {})["csrf_cookie"] = existing.value
            await self.app(scope, receive, send)
            return
        fresh = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_cookie"] = fresh

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                attributes = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self.secure else "")
                headers.append("set-cookie", f"{CSRF_COOKIE}={fresh}; {attributes}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="intake.csrf")


def csrf_token(request: Request, secret_key: str) -> str:
    return _serializer(secret_key).dumps(request.state.csrf_cookie)


def csrf_valid(request: Request, secret_key: str, submitted: str | None) -> bool:
    if not submitted:
        return False
    try:
        value = _serializer(secret_key).loads(submitted, max_age=CSRF_MAX_AGE_SECONDS)
    except BadSignature:
        return False
    return isinstance(value, str) and secrets.compare_digest(value, request.state.csrf_cookie)
