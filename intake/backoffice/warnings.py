"""Product warnings in the back office: the list with the drafts, the drafting form, and a
warning's page where a second person approves it (or it is discarded) and where a published
one is withdrawn with its reason."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.backoffice.auth import staff_only
from intake.context import app_context
from intake.errors import refused_answer
from intake.formdata import EXPIRED_FORM, checked_fields, read_form, text_fields, uploaded_files
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.public.guides import picture
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import LEAD, OFFICER
from workflows.cases.filing import FILES_FIELD
from workflows.cases.filing_refusals import FilingRefused
from workflows.cases.refusals import InvalidInput
from workflows.i18n.messages import Errors, Problem
from workflows.warnings.drafting import (
    NOT_FOR_THE_POLICE,
    STEPS,
    WarningRefused,
    decide,
    draft,
    may_act_for,
    warning_agencies,
)
from workflows.warnings.published import photo_of, staff_warning, staff_warnings

NO_STORE = {"Cache-Control": "no-store"}


async def _list_page(request: Request, user: StaffUser, values: dict[str, str],
                     errors: Errors, status: int = 200,
                     headers: dict[str, str] | None = None) -> Response:
    return render(request, "staff/warnings.html", {
        "user": user, "warnings": await staff_warnings(user), "values": values,
        "errors": errors, "not_for_the_police": NOT_FOR_THE_POLICE,
        "agencies": warning_agencies(app_context(request).reference.agencies)},
        status_code=status, headers={**NO_STORE, **(headers or {})})


@staff_only(OFFICER, LEAD)
async def warnings_page(request: Request, user: StaffUser) -> Response:
    """GET: the list and an empty form; POST: a new draft."""
    if request.method == "GET":
        return await _list_page(request, user, {}, {})
    context = app_context(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return await _list_page(request, user, {}, {"form": form}, 400)
    values, photos = text_fields(form), uploaded_files(form, FILES_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        return await _list_page(request, user, values, {"form": Problem(EXPIRED_FORM)}, 400)
    try:
        warning = await draft(user, values, context.reference.agencies, context.filing,
                              photos)
    except FilingRefused as refused:
        status, headers = refused_answer(refused)
        return await _list_page(request, user, values, refused.errors, status, headers)
    except WarningRefused as refused:
        return await _list_page(request, user, values, {"form": refused.problem}, 403)
    return RedirectResponse(f"/staff/warnings/{warning.id}", status_code=303)


@staff_only(OFFICER, LEAD)
async def staff_warning_photo(request: Request, user: StaffUser) -> Response:
    """A photo of a warning this person may see, a draft's included."""
    warning = await staff_warning(user, request.path_params["warning_id"])
    return picture(request, await photo_of(warning, request.path_params["photo_id"]),
                   public=False)


@staff_only(OFFICER, LEAD)
async def warning_page(request: Request, user: StaffUser) -> Response:
    """GET: the warning as it will read; POST: approve, discard or withdraw it."""
    warning = await staff_warning(user, request.path_params["warning_id"])
    if warning is None:
        return render(request, "public/not_found.html", status_code=404)
    values: dict[str, str] = {}
    errors: Errors = {}
    status = 200
    if request.method == "POST":
        checked = await checked_fields(request, app_context(request).settings)
        if isinstance(checked, Problem):
            errors, status = {"form": checked}, 400
        else:
            values = checked
            try:
                await decide(user, warning.id, values.get("step", ""), values.get("reason", ""),
                             dt.datetime.now(dt.UTC))
                return RedirectResponse(f"/staff/warnings/{warning.id}", status_code=303)
            except InvalidInput as invalid:
                errors, status = invalid.errors, 400
            except WarningRefused as refused:
                errors, status = {"form": refused.problem}, 409
            warning = await staff_warning(user, warning.id) or warning
    steps = [name for name, step in STEPS.items() if warning.status in step.sources
             and may_act_for(user, warning.agency_code)
             and not (step.not_by_drafter and warning.drafted_by_id == user.id)]  # type: ignore[attr-defined]
    return render(request, "staff/warning.html", {
        "user": user, "warning": warning, "steps": steps, "values": values, "errors": errors},
        status_code=status, headers=NO_STORE)
