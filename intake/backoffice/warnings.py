"""Product warnings in the back office: the list with the drafts, the drafting form, and a
warning's page where a second person approves it (or it is discarded) and where a published
one is withdrawn with its reason."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.backoffice.auth import staff_only
from intake.context import app_context
from intake.formdata import checked_fields
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import LEAD, OFFICER
from workflows.cases.refusals import InvalidInput
from workflows.i18n.messages import Errors, Problem
from workflows.warnings.drafting import STEPS, WarningRefused, decide, draft, may_act_for
from workflows.warnings.published import staff_warning, staff_warnings

NO_STORE = {"Cache-Control": "no-store"}


async def _list_page(request: Request, user: StaffUser, values: dict[str, str],
                     errors: Errors, status: int = 200) -> Response:
    return render(request, "staff/warnings.html", {
        "user": user, "warnings": await staff_warnings(user), "values": values,
        "errors": errors}, status_code=status, headers=NO_STORE)


@staff_only(OFFICER, LEAD)
async def warnings_page(request: Request, user: StaffUser) -> Response:
    """GET: the list and an empty form; POST: a new draft."""
    if request.method == "GET":
        return await _list_page(request, user, {}, {})
    values = await checked_fields(request, app_context(request).settings)
    if isinstance(values, Problem):
        return await _list_page(request, user, {}, {"form": values}, 400)
    try:
        warning = await draft(user, values, app_context(request).reference.agencies.keys())
    except InvalidInput as invalid:
        return await _list_page(request, user, values, invalid.errors, 400)
    return RedirectResponse(f"/staff/warnings/{warning.id}", status_code=303)


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
