"""The page where a verified brand owner gives its opinion on a case's goods, opened from the
link in its mail: signed, once, until the deadline. It shows the product facts and the
photos (`workflows.parties.brand_inquiries.OwnerView`), never the reporter."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.errors import refused_answer
from intake.formdata import EXPIRED_FORM, read_form, text_fields, uploaded_files
from intake.links import BRAND_INQUIRY_SALT, read_record_token
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.public.guides import picture
from intake.requester import client_address
from intake.templating import render
from workflows.cases.filing import FILES_FIELD
from workflows.cases.filing_refusals import FilingRefused
from workflows.i18n.messages import Errors, Problem
from workflows.parties.brand_inquiries import give_opinion, open_inquiry, owner_view, shown_photo
from workflows.parties.explanations import UNKNOWN_LINK, LinkRefused
from workflows.parties.models import BrandInquiry

NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


async def _opened(request: Request) -> BrandInquiry | LinkRefused:
    found = read_record_token(app_context(request).settings.secret_key, BRAND_INQUIRY_SALT,
                              request.path_params["token"])
    if found is None:
        return LinkRefused(Problem(UNKNOWN_LINK), 404)
    try:
        return await open_inquiry(*found, dt.datetime.now(dt.UTC))
    except LinkRefused as refused:
        return refused


async def _page(request: Request, inquiry: BrandInquiry | None, problem: Problem | None,
                values: dict[str, str], errors: Errors, status: int = 200,
                done: bool = False) -> Response:
    context = app_context(request)
    view = await owner_view(inquiry) if inquiry else None
    agency = context.reference.agencies.get(view.facts.agency_code or "") if view else None
    return render(request, "brands/inquiry.html", {
        "inquiry": inquiry, "view": view, "agency": agency, "problem": problem,
        "values": values, "errors": errors, "done": done, "files_field": FILES_FIELD,
        "max_files": context.settings.max_attachments,
        "max_megabytes": context.settings.max_attachment_bytes // (1024 * 1024),
        "action": request.url.path}, status_code=status, headers=NO_STORE)


async def inquiry_form(request: Request) -> Response:
    if request.query_params.get("done") == "1":
        return await _page(request, None, None, {}, {}, done=True)
    opened = await _opened(request)
    if isinstance(opened, LinkRefused):
        return await _page(request, None, opened.problem, {}, {}, opened.status)
    return await _page(request, opened, None, {}, {})


async def send_opinion(request: Request) -> Response:
    context = app_context(request)
    opened = await _opened(request)
    if isinstance(opened, LinkRefused):
        return await _page(request, None, opened.problem, {}, {}, opened.status)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return await _page(request, opened, form, {}, {}, 400)
    values, uploads = text_fields(form), uploaded_files(form, FILES_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        return await _page(request, opened, Problem(EXPIRED_FORM), values, {}, 400)
    try:
        await give_opinion(context.filing, opened.id, opened.link_nonce, values, uploads,
                           context.allowances.followup, client_address(request),
                           dt.datetime.now(dt.UTC))
    except LinkRefused as refused:
        return await _page(request, None, refused.problem, {}, {}, refused.status)
    except FilingRefused as refused:
        status, headers = refused_answer(refused)
        response = await _page(request, opened, refused.errors.get("form"), values,
                               refused.errors, status)
        response.headers.update(headers)
        return response
    return RedirectResponse(f"{request.url.path}?done=1", status_code=303)


async def inquiry_photo(request: Request) -> Response:
    """A photo of the goods, for the owner with a link that still works."""
    opened = await _opened(request)
    if isinstance(opened, LinkRefused):
        return render(request, "public/not_found.html", status_code=404)
    return picture(request, await shown_photo(opened, request.path_params["attachment_id"]),
                   public=False)
