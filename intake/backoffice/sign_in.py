"""Signing in to the back office and out of it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.backoffice.auth import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from intake.context import app_context
from intake.formdata import read_form, text_fields
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.public.cookies import read_signed, set_signed
from intake.requester import client_address
from intake.templating import render
from workflows.access.accounts import normalize_email
from workflows.access.models import StaffUser
from workflows.access.roles import CASE_ROLES
from workflows.access.sessions import end_session, session_user, start_session
from workflows.access.sign_in import SignInRefused, account_subject, authenticate
from workflows.i18n.messages import N_, Problem

NO_STORE = {"Cache-Control": "no-store"}
DEVICE_COOKIE = "intake_device"
DEVICE_MAX_AGE = 90 * 24 * 3600


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/staff/") and not target.startswith("//"):
        return target
    return ""


def home_of(user: StaffUser) -> str:
    """Where a role starts: the case queue, or the statistics for those who work on no case."""
    return "/staff/queue" if user.role in CASE_ROLES else "/staff/stats"


async def login_form(request: Request) -> Response:
    return render(request, "staff/login.html",
                  {"next": _safe_next(request.query_params.get("next")), "email": "",
                   "problem": None}, headers=NO_STORE)


async def login(request: Request) -> Response:
    settings = app_context(request).settings
    form = await read_form(request, settings)
    values = text_fields(form) if not isinstance(form, Problem) else {}
    email, target = values.get("email", ""), _safe_next(values.get("next"))
    problem: Problem | None = form if isinstance(form, Problem) else None
    user: StaffUser | None = None
    locked = False
    if problem is None and not csrf_valid(request, settings.secret_key, values.get(CSRF_FIELD),
                                          bound=False):
        problem = Problem(N_("This form had expired. Please try again."))
    if problem is None:
        try:
            user = await authenticate(email, values.get("password", ""), client_address(request),
                                      settings.secret_key, _known_device(request, email))
        except SignInRefused as refused:
            problem, locked = refused.problem, refused.locked
    if user is None:
        return render(request, "staff/login.html",
                      {"next": target, "email": email, "problem": problem},
                      status_code=429 if locked else 400, headers=NO_STORE)
    response = RedirectResponse(target or home_of(user), status_code=303)
    set_session_cookie(request, response, await start_session(user))
    set_signed(request, response, DEVICE_COOKIE, "device",
               account_subject(user.email, settings.secret_key), path="/staff/login",
               max_age=DEVICE_MAX_AGE)
    return response


def _known_device(request: Request, email: str) -> bool:
    """This browser signed in to this account before (OWASP's device cookie)."""
    subject = read_signed(request, DEVICE_COOKIE, "device", DEVICE_MAX_AGE)
    return bool(subject) and subject == account_subject(
        normalize_email(email), app_context(request).settings.secret_key)


async def logout(request: Request) -> Response:
    """Ends the session; with an expired or forged form it says it did not, rather than
    seeming to (a sign-out page another site posts to must not sign anyone out)."""
    settings = app_context(request).settings
    form = await read_form(request, settings)
    values = text_fields(form) if not isinstance(form, Problem) else {}
    token = request.cookies.get(SESSION_COOKIE)
    if not csrf_valid(request, settings.secret_key, values.get(CSRF_FIELD)):
        if await session_user(token) is not None:
            return render(request, "staff/sign_out.html", status_code=400, headers=NO_STORE)
        return RedirectResponse("/staff/login", status_code=303)
    await end_session(token, client_address(request))
    response = RedirectResponse("/staff/login", status_code=303)
    clear_session_cookie(request, response)
    return response
