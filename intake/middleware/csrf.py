"""CSRF protection for the public and staff forms: a signed double-submit token.

A random value lives in an HttpOnly cookie; each form carries that value signed with the
server's secret, and with a digest of the sign-in the page was made under (none for a visitor).
A POST is accepted only when all agree and the signature is fresh: a CSRF cookie and token
planted beforehand (from a sibling subdomain, or over plain http) open nothing once a person
has signed in, and a token made for one sign-in is refused under another.
"""

from __future__ import annotations

import hashlib
import hmac
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

    def __init__(self, app: ASGIApp, *, secure: bool, signed_in_cookie: str = "") -> None:
        """`signed_in_cookie`: the cookie of a sign-in (the staff session), whose forms'
        tokens are bound to it."""
        self.app = app
        self.secure = secure
        self.signed_in_cookie = signed_in_cookie

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
        state = scope.setdefault("state", {})
        signed_in = cookies.get(self.signed_in_cookie) if self.signed_in_cookie else None
        state["csrf_signed_in"] = signed_in.value if signed_in is not None else ""
        existing = cookies.get(CSRF_COOKIE)
        if existing is not None and len(existing.value) >= 32:
            state["csrf_cookie"] = existing.value
            await self.app(scope, receive, send)
            return
        fresh = secrets.token_urlsafe(32)
        state["csrf_cookie"] = fresh

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                attributes = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self.secure else "")
                headers.append("set-cookie", f"{CSRF_COOKIE}={fresh}; {attributes}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="intake.csrf")


def _expected(request: Request, secret_key: str) -> list[str]:
    """The CSRF cookie, and a keyed digest of the sign-in (the token is readable in the page:
    not the session's own digest, which is its key in the database)."""
    signed_in: str = request.state.csrf_signed_in
    binding = hmac.new(secret_key.encode(), b"intake.csrf.sign-in:" + signed_in.encode(),
                       hashlib.sha256).hexdigest()[:32] if signed_in else ""
    return [request.state.csrf_cookie, binding]


def csrf_token(request: Request, secret_key: str) -> str:
    return _serializer(secret_key).dumps(_expected(request, secret_key))


def csrf_valid(request: Request, secret_key: str, submitted: str | None,
               bound: bool = True) -> bool:
    """`bound=False`: the sign-in form, which starts a sign-in whatever the page was opened
    under (none, or the one it replaces)."""
    if not submitted:
        return False
    try:
        value = _serializer(secret_key).loads(submitted, max_age=CSRF_MAX_AGE_SECONDS)
    except BadSignature:
        return False
    expected = _expected(request, secret_key)
    if not (isinstance(value, list) and len(value) == len(expected)
            and all(isinstance(part, str) for part in value)):
        return False
    checked = zip(value, expected, strict=True) if bound else [(value[0], expected[0])]
    return all(secrets.compare_digest(part, wanted) for part, wanted in checked)
