"""The citizens' pages: what to report, the report form, the receipt, and tracking a case.

Handlers are thin: parse, validate (intake.forms), call a service, respond. Forms follow
post/redirect/get: an error re-renders the form with status 400, the values and the messages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from tortoise.exceptions import IntegrityError

from intake.client import client_address, retry_after, too_many_lookups, too_many_reports
from intake.formdata import read_form, text_fields, uploaded_files
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.middleware.language import LANGUAGE_COOKIE
from intake.submission import NOTHING_STORED, StorageUnavailable
from intake.templating import render
from workflows.access.limits import Allowance, RateLimited, spend
from workflows.audit.log import Actor
from workflows.cases.public_view import find_case, public_status, reporter_thread
from workflows.cases.reporter import PinRefused, check_reporter_pin
from workflows.cases.tracking import normalize_tracking_code
from workflows.cases.validation import ReportDraft, clean_text, validate_report
from workflows.i18n.formatting import format_datetime
from workflows.i18n.messages import N_, Errors, Problem
from workflows.i18n.translations import LANGUAGES

RECEIPT_COOKIE = "intake_receipt"
RECEIPT_MAX_AGE = 15 * 60
REPORTER_COOKIE = "intake_reporter"
REPORTER_MAX_AGE = 30 * 60
FILE_FIELD = "photos"
# Hidden from people by the stylesheet, left empty by them; bots that fill every field fill it.
HONEYPOT_FIELD = "website"
NO_STORE = {"Cache-Control": "no-store"}


def _context(request: Request) -> Any:
    return request.app.state.intake


def _signer(request: Request, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_context(request).settings.secret_key, salt=f"intake.{purpose}")


def _set_cookie(request: Request, response: Response, name: str, value: str, *, path: str,
                max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path=path, httponly=True, samesite="lax",
                        secure=_context(request).settings.https)


async def home(request: Request) -> Response:
    return render(request, "public/home.html")


async def report_form(request: Request) -> Response:
    # "Not stated" until the citizen says otherwise: a preselected country would skew the data.
    values = {"label_origin": "unknown"}
    return render(request, "public/report.html",
                  {"values": values, "errors": {}, "files_lost": False})


async def submit_report(request: Request) -> Response:
    context = _context(request)
    form = await read_form(request, _context(request).settings)
    if isinstance(form, Problem):
        return _report_errors(request, {}, {"form": form}, uploads_sent=True)
    values = text_fields(form)
    uploads = uploaded_files(form, FILE_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Check your answers and press Send again."))
        return _report_errors(request, values, {"form": problem}, uploads_sent=bool(uploads))
    draft, errors = validate_report(values, context.reference.places,
                                    max_description_chars=context.settings.max_description_chars)
    checked, upload_problem = await context.submission.check_uploads(uploads)
    if upload_problem:
        errors[FILE_FIELD] = upload_problem
    if draft is None or errors:
        return _report_errors(request, values, errors, uploads_sent=bool(uploads))
    if context.settings.honeypot and values.get(HONEYPOT_FIELD):
        problem = Problem(N_("The field “Leave this empty” was filled in, so the report was not "
                             "sent. If you are a person, clear that field and press Send again."))
        return _report_errors(request, values, {"form": problem}, uploads_sent=bool(uploads))
    draft = _with_request_facts(draft, request)
    try:
        await spend(Allowance("report", context.settings.report_rate_limit), client_address(request))
        filed = await context.submission.file(draft, checked, Actor.citizen())
    except RateLimited as limited:
        problem = too_many_reports(limited)
        response = _report_errors(request, values, {"form": problem}, uploads_sent=bool(uploads),
                                  status_code=429)
        response.headers["Retry-After"] = retry_after(limited)
        return response
    except IntegrityError:
        raise  # a broken rule is a bug, for the 500 handler, not a "try again"
    except NOTHING_STORED:
        # The disk or the database refused: the form comes back as typed, to send again.
        problem = Problem(N_("Your report could not be saved just now. Nothing was stored. "
                             "Please try again in a few minutes."))
        response = _report_errors(request, values, {"form": problem}, uploads_sent=bool(uploads),
                                  status_code=503)
        response.headers["Retry-After"] = "30"
        return response
    context.outbox_sender.wake()
    response = RedirectResponse(f"/receipt/{filed.case.tracking_code}", status_code=303)
    receipt = _signer(request, "receipt").dumps([filed.case.tracking_code, filed.pin])
    _set_cookie(request, response, RECEIPT_COOKIE, receipt, path="/receipt",
                max_age=RECEIPT_MAX_AGE)
    return response


def _with_request_facts(draft: ReportDraft, request: Request) -> ReportDraft:
    return replace(draft, language=request.state.language, intake_channel="web")


def _report_errors(request: Request, values: dict[str, str], errors: Errors, *,
                   uploads_sent: bool, status_code: int = 400) -> Response:
    return render(request, "public/report.html",
                  {"values": values, "errors": errors, "files_lost": uploads_sent},
                  status_code=status_code)


async def receipt(request: Request) -> Response:
    code = normalize_tracking_code(request.path_params["code"])
    case = await find_case(code)
    if case is None:
        return render(request, "public/not_found.html", status_code=404)
    pin = None
    try:
        shown_code, pin = _signer(request, "receipt").loads(
            request.cookies.get(RECEIPT_COOKIE, ""), max_age=RECEIPT_MAX_AGE)
        if shown_code != case.tracking_code:
            pin = None
    except (BadSignature, ValueError):
        pin = None
    agency = context_agency(request, case.agency_code)
    response = render(request, "public/receipt.html",
                      {"case": case, "pin": pin, "agency": agency}, headers=NO_STORE)
    # The PIN is shown once: a reload or the back button does not show it again.
    response.delete_cookie(RECEIPT_COOKIE, path="/receipt", httponly=True, samesite="lax",
                           secure=_context(request).settings.https)
    return response


def context_agency(request: Request, code: str | None) -> Any:
    return _context(request).reference.agencies.get(code) if code else None


async def track(request: Request) -> Response:
    typed = request.query_params.get("code", "")
    if not typed:
        return render(request, "public/track.html", {"typed": "", "status": None, "problem": None})
    try:
        await spend(Allowance("track", _context(request).settings.track_rate_limit),
                    client_address(request))
    except RateLimited as limited:
        response = render(request, "public/track.html", {
            "typed": typed, "status": None, "problem": too_many_lookups(limited)}, status_code=429)
        response.headers["Retry-After"] = retry_after(limited)
        return response
    case = await find_case(normalize_tracking_code(typed))
    if case is None:
        problem = Problem(N_("No report has this code. Check the code on your receipt."))
        return render(request, "public/track.html",
                      {"typed": typed, "status": None, "problem": problem}, status_code=404)
    status = await public_status(case)
    return render(request, "public/track.html",
                  {"typed": typed, "status": status, "problem": None,
                   "agency": context_agency(request, status.agency_code)})


async def reporter_access(request: Request) -> Response:
    """Code and PIN open the reporter's page: replies, and a form to add information."""
    context = _context(request)
    form = await read_form(request, _context(request).settings)
    values = text_fields(form) if not isinstance(form, Problem) else {}
    typed = values.get("code", "")
    case = await find_case(normalize_tracking_code(typed))
    problem: Problem | None = None
    if isinstance(form, Problem):
        problem = form
    elif not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Please try again."))
    elif case is None:
        problem = Problem(N_("The code or the PIN is not right."))
    else:
        try:
            await check_reporter_pin(case, values.get("pin", ""), context.settings.secret_key)
        except PinRefused as refused:
            problem = (Problem(N_("Too many wrong PINs. Try again after {time}."),
                               {"time": format_datetime(refused.locked_until)})
                       if refused.locked_until else
                       Problem(N_("The code or the PIN is not right.")))
    if problem or case is None:
        return render(request, "public/track.html",
                      {"typed": typed, "status": None, "problem": None, "access_problem": problem},
                      status_code=403 if case is not None else 400)
    response = RedirectResponse(f"/track/{case.tracking_code}/reporter", status_code=303)
    _set_cookie(request, response, REPORTER_COOKIE,
                _signer(request, "reporter").dumps(case.tracking_code),
                path="/track", max_age=REPORTER_MAX_AGE)
    return response


async def _reporter_case(request: Request) -> Any:
    code = normalize_tracking_code(request.path_params["code"])
    try:
        allowed = _signer(request, "reporter").loads(request.cookies.get(REPORTER_COOKIE, ""),
                                                     max_age=REPORTER_MAX_AGE)
    except BadSignature:
        return None
    if allowed != code:
        return None
    return await find_case(code)


async def reporter_page(request: Request) -> Response:
    case = await _reporter_case(request)
    if case is None:
        return RedirectResponse(f"/track?code={quote(request.path_params['code'])}",
                                status_code=303)
    added = request.query_params.get("added") == "1"
    return await _render_reporter_page(request, case, {}, {}, added=added)


async def _render_reporter_page(request: Request, case: Any, values: dict[str, str],
                                errors: Errors, status_code: int = 200,
                                added: bool = False) -> Response:
    status = await public_status(case)
    thread = await reporter_thread(case)
    return render(request, "public/reporter.html",
                  {"case": case, "status": status, "thread": thread, "values": values,
                   "errors": errors, "added": added,
                   "agency": context_agency(request, case.agency_code)},
                  status_code=status_code, headers=NO_STORE)


async def reporter_followup(request: Request) -> Response:
    context = _context(request)
    case = await _reporter_case(request)
    if case is None:
        return RedirectResponse(f"/track?code={quote(request.path_params['code'])}",
                                status_code=303)
    form = await read_form(request, _context(request).settings)
    if isinstance(form, Problem):
        return await _render_reporter_page(request, case, {}, {"form": form}, status_code=400)
    values = text_fields(form)
    uploads = uploaded_files(form, FILE_FIELD)
    errors: Errors = {}
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        errors["form"] = Problem(N_("This form had expired. Please send it again."))
    body = clean_text(values.get("body", ""), multiline=True)
    if isinstance(body, Problem):
        errors["body"] = body
    elif len(body) > context.settings.max_description_chars:
        errors["body"] = Problem(N_("At most {limit} characters (you typed {length})."),
                                 {"limit": context.settings.max_description_chars,
                                  "length": len(body)})
    elif not body and not uploads:
        errors["body"] = Problem(N_("Write something or choose a file to add."))
    checked, upload_problem = await context.submission.check_uploads(uploads)
    if upload_problem:
        errors[FILE_FIELD] = upload_problem
    if errors:
        return await _render_reporter_page(request, case, values, errors, status_code=400)
    try:
        await context.submission.add_followup(case, str(body), checked)
    except StorageUnavailable:
        problem = Problem(N_("Your report could not be saved just now. Nothing was stored. "
                             "Please try again in a few minutes."))
        return await _render_reporter_page(request, case, values, {"form": problem},
                                           status_code=503)
    return RedirectResponse(f"/track/{case.tracking_code}/reporter?added=1", status_code=303)


async def switch_language(request: Request) -> Response:
    language = request.path_params["language"]
    target = request.query_params.get("next", "/")
    # Only paths on this site: never an open redirect.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, path="/",
                            samesite="lax", secure=_context(request).settings.https)
    return response
