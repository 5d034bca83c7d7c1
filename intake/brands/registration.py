"""Registering as a brand owner: the business, its contact, the brands and GS1 company
prefixes it claims, and the proof of its right to them, checked like citizens' files. An
officer verifies it; the owner is told by mail either way."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.errors import refused_answer
from intake.formdata import EXPIRED_FORM, read_form, text_fields, uploaded_files
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.requester import client_address
from intake.templating import render
from workflows.cases.filing import FILES_FIELD
from workflows.cases.filing_refusals import FilingRefused
from workflows.i18n.messages import Errors, Problem
from workflows.parties.brand_owners import register

NO_STORE = {"Cache-Control": "no-store"}


def _page(request: Request, values: dict[str, str], errors: Errors, status: int = 200,
          done: bool = False) -> Response:
    settings = app_context(request).settings
    return render(request, "brands/register.html", {
        "values": values, "errors": errors, "done": done, "files_field": FILES_FIELD,
        "max_files": settings.max_attachments,
        "max_megabytes": settings.max_attachment_bytes // (1024 * 1024)},
        status_code=status, headers=NO_STORE)


async def registration_form(request: Request) -> Response:
    return _page(request, {}, {}, done=request.query_params.get("done") == "1")


async def send_registration(request: Request) -> Response:
    context = app_context(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return _page(request, {}, {"form": form}, 400)
    values, uploads = text_fields(form), uploaded_files(form, FILES_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        return _page(request, values, {"form": Problem(EXPIRED_FORM)}, 400)
    try:
        await register(context.filing, values, uploads, context.allowances.followup,
                       client_address(request), request.state.language)
    except FilingRefused as refused:
        status, headers = refused_answer(refused)
        response = _page(request, values, refused.errors, status)
        response.headers.update(headers)
        return response
    return RedirectResponse("/brands/register?done=1", status_code=303)
