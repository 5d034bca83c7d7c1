"""Short-lived cookies of the citizens' pages: the receipt's one-time PIN (encrypted: nobody
who sees the cookie may read the PIN) and the reporter's access to their page (signed).
HttpOnly, SameSite=Lax, Secure under https."""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from intake.context import app_context
from intake.encrypted import decrypt, encrypt


def signer(request: Request, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app_context(request).settings.secret_key,
                                  salt=f"intake.{purpose}")


def set_signed(request: Request, response: Response, name: str, purpose: str, value: Any, *,
               path: str, max_age: int) -> None:
    response.set_cookie(name, signer(request, purpose).dumps(value), max_age=max_age, path=path,
                        httponly=True, samesite="lax",
                        secure=app_context(request).settings.https)


def read_signed(request: Request, name: str, purpose: str, max_age: int) -> Any:
    """The cookie's value if it is ours, unaltered and fresh; None otherwise."""
    try:
        return signer(request, purpose).loads(request.cookies.get(name, ""), max_age=max_age)
    except BadSignature:
        return None


def forget(request: Request, response: Response, name: str, *, path: str) -> None:
    response.delete_cookie(name, path=path, httponly=True, samesite="lax",
                           secure=app_context(request).settings.https)


def set_one_time_pin(request: Request, response: Response, name: str, purpose: str, code: str,
                     pin: str, *, path: str, max_age: int) -> None:
    """The receipt's cookie: the PIN for this code, encrypted."""
    response.set_cookie(name, encrypt(app_context(request).settings.secret_key, purpose,
                                      [code, pin]),
                        max_age=max_age, path=path, httponly=True, samesite="lax",
                        secure=app_context(request).settings.https)


def one_time_pin(request: Request, name: str, purpose: str, code: str,
                 max_age: int) -> str | None:
    """The PIN a receipt cookie carries for this tracking code, shown once."""
    value = decrypt(app_context(request).settings.secret_key, purpose,
                    request.cookies.get(name, ""), max_age)
    if isinstance(value, list) and len(value) == 2 and value[0] == code:
        return str(value[1])
    return None
