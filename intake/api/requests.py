"""Open311 service requests: filing one (through the same service as the web form) and
reading one's public status."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.api.answers import error_response, language, words
from intake.api.fields import MEDIA_FIELD, report_fields
from intake.client import client_address, retry_after
from intake.context import app_context
from intake.errors import RETRY_SECONDS
from intake.formdata import read_form, text_fields, uploaded_files
from workflows.access.limits import RateLimited
from workflows.audit.log import Actor
from workflows.cases.filing import EntryPoint, FilingRefused, NothingStored, TooManyReports
from workflows.cases.public_view import look_up, public_status
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.reference.catalog import CATEGORIES


async def create_request(request: Request) -> Response:
    context = app_context(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return error_response(request, 400, {"form": form})
    values, unknown = report_fields(text_fields(form))
    entry = EntryPoint("api", Actor("citizen", "open311"), language(request),
                       client_address(request))
    try:
        filed = await context.filing.file(values, uploaded_files(form, MEDIA_FIELD), entry,
                                          found=unknown)
    except FilingRefused as refused:
        errors = dict(refused.errors)
        if "category" in errors:
            errors["category"] = Problem(N_("Unknown service code."))
        if isinstance(refused, TooManyReports):
            return error_response(request, 429, errors, retry_after(refused.limited))
        if isinstance(refused, NothingStored):
            return error_response(request, 503, errors, {"Retry-After": RETRY_SECONDS})
        return error_response(request, 400, errors)
    notice = words(request)(N_("Received. Keep the code and the PIN to follow the report."))
    return JSONResponse(
        [{"service_request_id": filed.case.tracking_code, "service_notice": notice,
          "account_id": None, "pin": filed.pin}], status_code=201)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds") if moment else None


async def get_request(request: Request) -> Response:
    context = app_context(request)
    try:
        case = await look_up(request.path_params["code"], client_address(request),
                             context.allowances.track)
    except RateLimited as limited:
        return error_response(request, 429, {"request": limited.problem}, retry_after(limited))
    if case is None:
        return error_response(request, 404, {"service_request_id": Problem(
            N_("No report has this code. Check the code on your receipt."))})
    status = await public_status(case)
    said = words(request)
    agency = context.reference.agencies.get(status.agency_code or "")
    return JSONResponse([{
        "service_request_id": status.tracking_code,
        "status": "open" if status.is_open else "closed",
        "status_notes": status.outcome or (status.replies[-1].body if status.replies else None),
        "service_name": said.label(CATEGORIES, status.category),
        "service_code": status.category,
        "agency_responsible": said.gettext(agency.label) if agency else None,
        "requested_datetime": _iso(status.created_at),
        "updated_datetime": _iso(status.updated_at),
        "expected_datetime": _iso(status.due_at),
    }])
