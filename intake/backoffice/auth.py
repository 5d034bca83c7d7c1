"""Who is signed in to the back office, and the guard every staff handler goes through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.sessions import session_user

SESSION_COOKIE = "intake_session"
StaffHandler = Callable[[Request, StaffUser], Awaitable[Response]]


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    # No max_age: the cookie ends with the browser; the server enforces idle and absolute expiry.
    response.set_cookie(SESSION_COOKIE, token, path="/staff", httponly=True, samesite="lax",
                        secure=app_context(request).settings.https)


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/staff", httponly=True, samesite="lax",
                           secure=app_context(request).settings.https)


def staff_only(*roles: str) -> Callable[[StaffHandler], Callable[[Request], Awaitable[Response]]]:
    """Send visitors to the sign-in page, and refuse roles not listed (403)."""

    def decorate(handler: StaffHandler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def guarded(request: Request) -> Response:
            user = await session_user(request.cookies.get(SESSION_COOKIE))
            if user is None:
                target = quote(request.url.path + (f"?{request.url.query}" if request.url.query
                                                   else ""), safe="")
                return RedirectResponse(f"/staff/login?next={target}", status_code=303)
            if roles and user.role not in roles:
                return render(request, "staff/forbidden.html", {"user": user}, status_code=403)
            return await handler(request, user)

        return guarded

    return decorate
