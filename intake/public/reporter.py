"""The reporter's own page, opened with the tracking code and PIN: the conversation with the
agency and the outcome in one timeline, a form to add text and files while the case is open,
their answer on the outcome once it is settled, and a way out. The page stays open for 30
minutes after the last visit (the cookie is signed again on each one); "Thoát" ends it."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.errors import refused_answer
from intake.formdata import checked_fields, read_form, text_fields, uploaded_files
from intake.links import read_reporter_token
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.public.cookies import forget, read_signed, set_signed
from intake.public.feedback import answer
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited
from workflows.cases.feedback import feedback_asked, give_feedback
from workflows.cases.filing import FILES_FIELD
from workflows.cases.filing_refusals import FilingRefused
from workflows.cases.models import Case
from workflows.cases.public_view import find_case, public_status, reporter_thread
from workflows.cases.refusals import ActionRefused
from workflows.cases.reporter import (
    LINK_ENDED,
    AccessRefused,
    add_followup,
    change_pin,
    end_reporter_pages,
    open_by_link,
    open_for_reporter,
)
from workflows.cases.sealing import agency_shown
from workflows.cases.states import CLOSED_STATES
from workflows.cases.tracking import format_pin, normalize_tracking_code
from workflows.i18n.messages import N_, Errors, Problem

REPORTER_COOKIE = "intake_reporter"
REPORTER_MAX_AGE = 30 * 60
NO_STORE = {"Cache-Control": "no-store"}
EXPIRED = N_("This form had expired. Please send it again.")
STILL_OPEN = N_("The form had expired, so your page is still open: press “Leave” again.")
ENTER_CODE_AND_PIN = N_("Enter the tracking code and the PIN printed on your receipt.")


async def reporter_access(request: Request) -> Response:
    """Code and PIN open the reporter's page."""
    context = app_context(request)
    form = await read_form(request, context.settings)
    values = text_fields(form) if not isinstance(form, Problem) else {}
    typed, status, headers = values.get("code", ""), 400, None
    problem: Problem | None = form if isinstance(form, Problem) else None
    if problem is None and not csrf_valid(request, context.settings.secret_key,
                                          values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Please try again."))
    if problem is None and not (typed.strip() and values.get("pin", "").strip()):
        # Nothing to look up, so nothing counted: not "wrong", but missing.
        problem = Problem(ENTER_CODE_AND_PIN)
    if problem is None:
        status = 403
        try:
            case = await open_for_reporter(typed, values.get("pin", ""),
                                           context.settings.secret_key, client_address(request),
                                           context.allowances.track)
        except AccessRefused as refused:
            problem = refused.problem
            if refused.retry_at:
                status = 429
                headers = retry_after(RateLimited(refused.retry_at, refused.problem.message))
    if problem is not None:
        return render(request, "public/track.html",
                      {"typed": typed, "status": None, "problem": None, "access_problem": problem},
                      status_code=status, headers=headers)
    response = RedirectResponse(f"/track/{case.tracking_code}/reporter", status_code=303)
    _open_page(request, response, case)
    return response


def _open_page(request: Request, response: Response, case: Case) -> None:
    """The reporter's cookie: this case, in its current reporter epoch ("Thoát" ends it)."""
    set_signed(request, response, REPORTER_COOKIE, "reporter",
               [case.tracking_code, case.reporter_epoch], path="/track", max_age=REPORTER_MAX_AGE)


async def reporter_link(request: Request) -> Response:
    """The link every message to the reporter carries opens their page without the PIN, as
    the code and PIN do, until the page is left or 30 days after the case is settled."""
    context = app_context(request)
    found = read_reporter_token(context.settings.secret_key, request.path_params["token"])
    try:
        if found is None:
            raise AccessRefused(Problem(LINK_ENDED))
        case = await open_by_link(*found, client_address(request), context.allowances.track)
    except AccessRefused as refused:
        headers = retry_after(RateLimited(refused.retry_at, refused.problem.message)) if (
            refused.retry_at) else None
        return render(request, "public/track.html",
                      {"typed": "", "status": None, "problem": None,
                       "access_problem": refused.problem},
                      status_code=429 if refused.retry_at else 410,
                      headers={**(headers or {}), **NO_STORE})
    response = RedirectResponse(f"/track/{case.tracking_code}/reporter", status_code=303)
    _open_page(request, response, case)
    return response


def _opened(request: Request) -> tuple[str, int] | None:
    """The case and reporter epoch this browser's page was opened at, if it is this page's."""
    code = normalize_tracking_code(request.path_params["code"])
    allowed = read_signed(request, REPORTER_COOKIE, "reporter", REPORTER_MAX_AGE)
    if (code is None or not isinstance(allowed, list) or len(allowed) != 2
            or allowed[0] != code or not isinstance(allowed[1], int)):
        return None
    return code, allowed[1]


async def _reporter_case(request: Request) -> Case | None:
    opened = _opened(request)
    case = await find_case(opened[0]) if opened else None
    return case if case is not None and opened and case.reporter_epoch == opened[1] else None


def _to_track(request: Request) -> Response:
    return RedirectResponse(f"/track?code={quote(request.path_params['code'])}", status_code=303)


async def reporter_page(request: Request) -> Response:
    case = await _reporter_case(request)
    if case is None:
        return _to_track(request)
    return await _render(request, case, {}, {}, done=request.query_params.get("done", ""))


async def _render(request: Request, case: Case, values: dict[str, str], errors: Errors,
                  status_code: int = 200, done: str = "", feedback_values: dict[str, str] | None = None,
                  feedback_errors: Errors | None = None,
                  headers: dict[str, str] | None = None, new_pin: str = "") -> Response:
    reference = app_context(request).reference
    response = render(request, "public/reporter.html", {
        "case": case, "status": await public_status(case, for_reporter=True),
        "thread": await reporter_thread(case), "values": values, "errors": errors,
        "done": done, "open": case.status not in CLOSED_STATES,
        "asked": await feedback_asked(case, reference),
        "feedback_values": feedback_values or {}, "feedback_errors": feedback_errors or {},
        "agency": agency_shown(case, reference.agencies),
        "new_pin": format_pin(new_pin) if new_pin else "",
        "press": secrets.token_urlsafe(16)},  # one press of "Tạo mã PIN mới"
        status_code=status_code, headers={**NO_STORE, **(headers or {})})
    # Idle for 30 minutes, not 30 minutes in all: each visit signs the cookie again.
    _open_page(request, response, case)
    return response


async def reporter_followup(request: Request) -> Response:
    context = app_context(request)
    case = await _reporter_case(request)
    if case is None:
        return _to_track(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return await _render(request, case, {}, {"form": form}, status_code=400)
    values, uploads = text_fields(form), uploaded_files(form, FILES_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(EXPIRED)
        return await _render(request, case, values, {"form": problem}, status_code=400)
    try:
        await add_followup(context.filing, case, values, uploads, context.allowances.followup,
                           client_address(request))
    except FilingRefused as refused:
        status, headers = refused_answer(refused)
        return await _render(request, case, values, refused.errors, status_code=status,
                             headers=headers)
    return RedirectResponse(f"/track/{case.tracking_code}/reporter?done=added", status_code=303)


async def reporter_feedback(request: Request) -> Response:
    """The reporter's answer on the outcome, from their page."""
    context = app_context(request)
    case = await _reporter_case(request)
    if case is None:
        return _to_track(request)
    values = await checked_fields(request, context.settings)
    if isinstance(values, Problem):
        return await _render(request, case, {}, {}, 400, feedback_errors={"form": values})
    try:
        await give_feedback(case, answer(values.get("satisfied", "")), values.get("comment", ""),
                            context.reference, context.events)
    except ActionRefused as refused:
        return await _render(request, case, {}, {}, 400, feedback_values=values,
                             feedback_errors=refused.errors)
    return RedirectResponse(f"/track/{case.tracking_code}/reporter?done=feedback",
                            status_code=303)


async def reporter_sign_out(request: Request) -> Response:
    """Leave the page: it ends on the server (any copy of the cookie opens nothing), the
    cookie goes, and the page needs the PIN again (a shared phone)."""
    context = app_context(request)
    code = quote(request.path_params["code"])
    case = await _reporter_case(request)
    if isinstance(await checked_fields(request, context.settings), Problem):
        if case is None:
            return _to_track(request)
        return await _render(request, case, {}, {"form": Problem(STILL_OPEN)}, 400)
    if case is not None:
        await end_reporter_pages(case)
    response = RedirectResponse(f"/track?code={code}&signed_out=1", status_code=303)
    forget(request, response, REPORTER_COOKIE, path="/track")
    return response


async def reporter_new_pin(request: Request) -> Response:
    """A new PIN, shown once on the page that answers: the old PIN, every link sent before and
    every other open page end with it. A press sent twice (a double click) shows the same PIN
    both times, so the one the browser keeps is the one that counts."""
    context = app_context(request)
    opened = _opened(request)
    case = await find_case(opened[0]) if opened else None
    if opened is None or case is None or case.reporter_epoch not in (opened[1], opened[1] + 1):
        return _to_track(request)
    values = await checked_fields(request, context.settings)
    if isinstance(values, Problem):
        return await _render(request, case, {}, {"form": Problem(EXPIRED)}, 400)
    pin = await change_pin(case, context.settings.secret_key, opened[1],
                           values.get("press", "")[:64])
    if pin is None:
        return _to_track(request)
    return await _render(request, case, {}, {}, new_pin=pin)
