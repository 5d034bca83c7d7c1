"""Reports received by phone, letter or in person, filed by an officer for the caller through
the same filing service as the citizens' form; the caller's PIN is shown once to the officer."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.backoffice.auth import staff_only
from intake.backoffice.case_page import STAFF_RECEIPT_COOKIE, STAFF_RECEIPT_MAX_AGE
from intake.context import app_context
from intake.errors import refused_answer
from intake.formdata import read_form, text_fields, uploaded_files
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.public.cookies import set_one_time_pin
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import FILING_ROLES
from workflows.audit.log import Actor
from workflows.cases.filing import FILES_FIELD, STAFF_CHANNELS, EntryPoint
from workflows.cases.filing_refusals import FilingRefused
from workflows.i18n.messages import N_, Errors, Problem


def _form(request: Request, user: StaffUser, values: dict[str, str], errors: Errors,
          files_lost: bool, status_code: int = 200,
          headers: dict[str, str] | None = None) -> Response:
    return render(request, "staff/new_case.html",
                  {"user": user, "values": values, "errors": errors, "files_lost": files_lost,
                   "channels": STAFF_CHANNELS}, status_code=status_code, headers=headers)


@staff_only(*FILING_ROLES)
async def new_case_form(request: Request, user: StaffUser) -> Response:
    return _form(request, user, {"label_origin": "unknown", "intake_channel": "hotline"}, {},
                 files_lost=False)


@staff_only(*FILING_ROLES)
async def file_case(request: Request, user: StaffUser) -> Response:
    context = app_context(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return _form(request, user, {}, {"form": form}, files_lost=True, status_code=400)
    values, uploads = text_fields(form), uploaded_files(form, FILES_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Check your answers and press Send again."))
        return _form(request, user, values, {"form": problem}, bool(uploads), 400)
    entry = EntryPoint(values.get("intake_channel", ""), Actor("staff", str(user.id)))
    try:
        filed = await context.filing.file(values, uploads, entry)
    except FilingRefused as refused:
        status, headers = refused_answer(refused)
        return _form(request, user, values, refused.errors, bool(uploads), status, headers)
    code = filed.case.tracking_code
    response = RedirectResponse(f"/staff/cases/{code}", status_code=303)
    set_one_time_pin(request, response, STAFF_RECEIPT_COOKIE, "staff-receipt", code, filed.pin,
                     path=f"/staff/cases/{code}", max_age=STAFF_RECEIPT_MAX_AGE)
    return response
