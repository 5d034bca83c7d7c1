"""The back office: sign in and out, the case queue, a case, its attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from intake.backoffice.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    set_session_cookie,
    staff_only,
)
from intake.client import client_address
from intake.context import translator
from intake.formdata import read_form, text_fields, uploaded_files
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.submission import StorageUnavailable
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.sessions import end_session, start_session
from workflows.access.sign_in import SignInRefused, authenticate
from workflows.access.visibility import CASE_ROLES, assignable_staff, visible_case
from workflows.audit.log import Actor
from workflows.cases.conversation import add_note, add_public_reply
from workflows.cases.duplicates import possible_duplicates
from workflows.cases.models import Attachment, Case
from workflows.cases.queue import QueueFilters, queue_page
from workflows.cases.staff_view import case_view
from workflows.cases.states import OUTCOMES, allowed_actions, allowed_support_actions
from workflows.cases.supports import SupportRequest, take_support_action
from workflows.cases.tracking import normalize_tracking_code
from workflows.cases.transitions import ActionRefused, ActionRequest, StaleCase, take_action
from workflows.cases.validation import validate_report
from workflows.i18n.formatting import format_datetime
from workflows.i18n.messages import N_, Errors, Problem
from workflows.reference.catalog import STATUSES, SUPPORT_STATUSES

# Served files may be anything a citizen sent: never let the browser run or sniff them.
ATTACHMENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private, no-store",
}
NO_STORE = {"Cache-Control": "no-store"}


def _context(request: Request) -> Any:
    return request.app.state.intake


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/staff/") and not target.startswith("//"):
        return target
    return ""


def _home(user: StaffUser) -> str:
    """Where a role starts: the case queue, or the statistics for those who work on no case."""
    return "/staff/queue" if user.role in CASE_ROLES else "/staff/stats"


async def login_form(request: Request) -> Response:
    return render(request, "staff/login.html",
                  {"next": _safe_next(request.query_params.get("next")), "email": "",
                   "problem": None}, headers=NO_STORE)


async def login(request: Request) -> Response:
    settings = _context(request).settings
    form = await read_form(request, settings)
    values = text_fields(form) if not isinstance(form, Problem) else {}
    email, target = values.get("email", ""), _safe_next(values.get("next"))
    problem: Problem | None = form if isinstance(form, Problem) else None
    user: StaffUser | None = None
    if problem is None and not csrf_valid(request, settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Please try again."))
    if problem is None:
        try:
            user = await authenticate(email, values.get("password", ""), client_address(request))
        except SignInRefused as refused:
            problem = (Problem(N_("Too many failed sign-ins. Try again after {time}."),
                               {"time": format_datetime(refused.locked_until)})
                       if refused.locked_until else
                       Problem(N_("The email or the password is not right.")))
    if user is None:
        return render(request, "staff/login.html",
                      {"next": target, "email": email, "problem": problem},
                      status_code=429 if problem and problem.params else 400, headers=NO_STORE)
    response = RedirectResponse(target or _home(user), status_code=303)
    set_session_cookie(request, response, await start_session(user))
    return response


async def logout(request: Request) -> Response:
    form = await read_form(request, _context(request).settings)
    values = text_fields(form) if not isinstance(form, Problem) else {}
    response = RedirectResponse("/staff/login", status_code=303)
    if csrf_valid(request, _context(request).settings.secret_key, values.get(CSRF_FIELD)):
        await end_session(request.cookies.get(SESSION_COOKIE))
        clear_session_cookie(request, response)
    return response


@staff_only(*CASE_ROLES)
async def queue(request: Request, user: StaffUser) -> Response:
    filters = QueueFilters.from_query(dict(request.query_params))
    page = await queue_page(user, filters)
    return render(request, "staff/queue.html",
                  {"user": user, "filters": filters, "page": page,
                   "query": dict(request.query_params)}, headers=NO_STORE)


async def _render_case(request: Request, user: StaffUser, case: Case,
                       problem: Problem | None = None, status_code: int = 200) -> Response:
    view = await case_view(case)
    agency = _context(request).reference.agencies.get(case.agency_code or "")
    pin = _pin_for_caller(request, case.tracking_code)
    leads = user.role == "officer" or user.agency_code == case.agency_code
    own_support = next((s for s in view.supports if s.agency_code == user.agency_code), None)
    response = render(request, "staff/case.html",
                      {"user": user, "view": view, "agency": agency, "problem": problem,
                       "actions": allowed_actions(case.status, user.role) if leads else [],
                       "assignable": await assignable_staff(case.agency_code),
                       "outcomes": OUTCOMES, "pin": pin, "leads": leads,
                       "own_support": own_support,
                       "support_actions": allowed_support_actions(own_support.status, user.role)
                       if own_support else [],
                       "support_assignable": await assignable_staff(user.agency_code)
                       if own_support else [],
                       "support_candidates": [
                           code for code in _context(request).reference.agencies
                           if code != case.agency_code
                           and code not in {s.agency_code for s in view.supports}],
                       "duplicates": await possible_duplicates(case, user)},
                      status_code=status_code, headers=NO_STORE)
    if pin:
        response.delete_cookie(STAFF_RECEIPT_COOKIE, path=f"/staff/cases/{case.tracking_code}")
    return response


@staff_only(*CASE_ROLES)
async def case_page(request: Request, user: StaffUser) -> Response:
    case = await visible_case(user, normalize_tracking_code(request.path_params["code"]))
    if case is None:
        return render(request, "public/not_found.html", status_code=404)
    return await _render_case(request, user, case)


def _amount(values: dict[str, str], name: str) -> int | None:
    typed = values.get(name, "").replace(".", "").replace(",", "").replace(" ", "")
    if not typed:
        return None
    if not (typed.isascii() and typed.isdigit()) or len(typed) > 15:
        raise ActionRefused(N_("Amounts are whole numbers of at most 15 digits."))
    return int(typed)


def _action_request(values: dict[str, str]) -> ActionRequest:
    version, assignee = values.get("version", ""), values.get("assignee_id", "")
    try:
        due_date = (dt.date.fromisoformat(values["due_date"]) if values.get("due_date")
                    else None)
    except ValueError:
        raise ActionRefused(N_("Choose a new due date after the current one.")) from None
    return ActionRequest(
        action=values.get("action", ""),
        expected_version=_number(version, -1),
        reason=values.get("reason", ""),
        agency_code=values.get("agency_code", ""),
        assignee_id=_number(assignee, 0) or None,
        outcome=values.get("outcome", ""),
        public_outcome=values.get("public_outcome", ""),
        fine_vnd=_amount(values, "fine_vnd"),
        seized_quantity=_amount(values, "seized_quantity"),
        seized_value_vnd=_amount(values, "seized_value_vnd"),
        legal_basis=values.get("legal_basis", ""),
        due_date=due_date,
        duplicate_of_code=values.get("duplicate_of", ""),
        task=values.get("task", ""),
    )


def _number(typed: str, fallback: int) -> int:
    return int(typed) if typed.isascii() and typed.isdigit() and len(typed) < 10 else fallback


CaseWrite = Callable[[Case, dict[str, str]], Awaitable[object]]


async def _post_on_case(request: Request, user: StaffUser, write: CaseWrite) -> Response:
    """The one path for every form posted on a case page: find the case the user may see,
    read the form, check CSRF, write, and show a refusal on the case page (409 when stale)."""
    context = _context(request)
    case = await visible_case(user, normalize_tracking_code(request.path_params["code"]))
    if case is None:
        return render(request, "public/not_found.html", status_code=404)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return await _render_case(request, user, case, form, status_code=400)
    values = text_fields(form)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        return await _render_case(request, user, case,
                                  Problem(N_("This form had expired. Please try again.")), 400)
    try:
        await write(case, values)
    except ActionRefused as refused:
        params = dict(refused.params)
        if "status" in params:  # the state's name in the reader's language, not its code
            params["status"] = translator(request).label(STATUSES + SUPPORT_STATUSES,
                                                         str(params["status"]))
        status = 409 if isinstance(refused, StaleCase) else 400
        return await _render_case(request, user, case, Problem(refused.message, params), status)
    context.outbox_sender.wake()  # the write may have queued mail
    return RedirectResponse(f"/staff/cases/{case.tracking_code}", status_code=303)


@staff_only(*CASE_ROLES)
async def case_action(request: Request, user: StaffUser) -> Response:
    context = _context(request)
    return await _post_on_case(request, user, lambda case, values: take_action(
        case, user, _action_request(values), context.reference, context.submission.notifier))


@staff_only("lead", "inspector")
async def support_action(request: Request, user: StaffUser) -> Response:
    """A supporting agency's staff working their own task on another agency's case."""
    return await _post_on_case(request, user, lambda case, values: take_support_action(
        case, user, SupportRequest(
            action=values.get("action", ""),
            expected_version=_number(values.get("version", ""), -1),
            assignee_id=_number(values.get("assignee_id", ""), 0) or None,
            text=values.get("text", ""))))


@staff_only(*CASE_ROLES)
async def add_case_note(request: Request, user: StaffUser) -> Response:
    return await _post_on_case(request, user,
                               lambda case, values: add_note(case, user, values.get("body", "")))


@staff_only(*CASE_ROLES)
async def add_case_reply(request: Request, user: StaffUser) -> Response:
    notifier = _context(request).submission.notifier
    return await _post_on_case(request, user, lambda case, values: add_public_reply(
        case, user, values.get("body", ""), notifier))


STAFF_CHANNELS = ("hotline", "letter", "walk_in")
STAFF_RECEIPT_COOKIE = "intake_staff_receipt"


@staff_only("officer")
async def new_case_form(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/new_case.html",
                  {"user": user, "values": {"label_origin": "unknown", "intake_channel": "hotline"},
                   "errors": {}, "files_lost": False, "channels": STAFF_CHANNELS})


@staff_only("officer")
async def file_case(request: Request, user: StaffUser) -> Response:
    """A report received by phone, letter or in person, filed by an officer for the caller."""
    context = _context(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return _new_case_errors(request, user, {}, {"form": form}, uploads_sent=True)
    values = text_fields(form)
    uploads = uploaded_files(form, "photos")
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Check your answers and press Send again."))
        return _new_case_errors(request, user, values, {"form": problem}, bool(uploads))
    draft, errors = validate_report(values, context.reference.places,
                                    max_description_chars=context.settings.max_description_chars)
    if values.get("intake_channel") not in STAFF_CHANNELS:
        errors["intake_channel"] = Problem(N_("Choose how the report was received."))
    checked, upload_problem = await context.submission.check_uploads(uploads)
    if upload_problem:
        errors["photos"] = upload_problem
    if draft is None or errors:
        return _new_case_errors(request, user, values, errors, bool(uploads))
    draft = replace(draft, intake_channel=values["intake_channel"], language="vi")
    try:
        filed = await context.submission.file(draft, checked, Actor("staff", str(user.id)))
    except StorageUnavailable:
        problem = Problem(N_("Your report could not be saved just now. Nothing was stored. "
                             "Please try again in a few minutes."))
        return _new_case_errors(request, user, values, {"form": problem}, bool(uploads), 503)
    context.outbox_sender.wake()
    code = filed.case.tracking_code
    response = RedirectResponse(f"/staff/cases/{code}", status_code=303)
    # The caller needs the PIN: shown once to the officer, on the next page only.
    signer = URLSafeTimedSerializer(context.settings.secret_key, salt="intake.staff-receipt")
    response.set_cookie(STAFF_RECEIPT_COOKIE, signer.dumps([code, filed.pin]), max_age=600,
                        path=f"/staff/cases/{code}", httponly=True, samesite="lax",
                        secure=context.settings.https)
    return response


def _new_case_errors(request: Request, user: StaffUser, values: dict[str, str], errors: Errors,
                     uploads_sent: bool, status_code: int = 400) -> Response:
    return render(request, "staff/new_case.html",
                  {"user": user, "values": values, "errors": errors, "files_lost": uploads_sent,
                   "channels": STAFF_CHANNELS}, status_code=status_code)


def _pin_for_caller(request: Request, code: str) -> str | None:
    signer = URLSafeTimedSerializer(_context(request).settings.secret_key,
                                    salt="intake.staff-receipt")
    try:
        shown_code, pin = signer.loads(request.cookies.get(STAFF_RECEIPT_COOKIE, ""), max_age=600)
    except (BadSignature, ValueError):
        return None
    return str(pin) if shown_code == code else None


@staff_only(*CASE_ROLES)
async def attachment(request: Request, user: StaffUser) -> Response:
    case = await visible_case(user, normalize_tracking_code(request.path_params["code"]))
    number = request.path_params["attachment_id"]
    found = await Attachment.get_or_none(id=number, case_id=case.id) if case else None
    if found is None:
        return render(request, "public/not_found.html", status_code=404)
    store = _context(request).submission.store
    return StreamingResponse(store.chunks(found.storage_name), media_type=found.content_type,
                             headers={**ATTACHMENT_HEADERS,
                                      "Content-Disposition": _download(found.original_name)})


def _download(filename: str) -> str:
    """As Starlette's FileResponse writes it: a name that is not plain ASCII goes RFC 5987-
    encoded, so a Vietnamese file name arrives intact."""
    quoted = quote(filename)
    if quoted != filename:
        return f"attachment; filename*=utf-8''{quoted}"
    return f'attachment; filename="{filename}"'
