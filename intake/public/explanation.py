"""The page where a business answers a request for an explanation, opened from the link in
its mail: signed, no account, one answer, until the deadline. It shows the product facts and
the question, never anything about the reporter."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.errors import refused_answer
from intake.formdata import read_form, text_fields, uploaded_files
from intake.links import read_explanation_token
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.requester import client_address
from intake.templating import render
from workflows.cases.filing import FILES_FIELD
from workflows.cases.filing_refusals import FilingRefused
from workflows.i18n.messages import N_, Errors, Problem
from workflows.parties.explanations import (
    UNKNOWN_LINK,
    LinkRefused,
    answer_explanation,
    open_request,
)
from workflows.parties.goods_facts import goods_facts
from workflows.parties.models import ExplanationRequest

NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _page(request: Request, asked: ExplanationRequest | None, problem: Problem | None,
          values: dict[str, str], errors: Errors, status: int = 200,
          done: bool = False, headers: dict[str, str] | None = None) -> Response:
    context = app_context(request)
    agency = context.reference.agencies.get(asked.agency_code) if asked else None
    return render(request, "public/explanation.html", {
        "asked": asked,
        "case": goods_facts(asked.case, asked) if asked else None,
        "agency": agency,
        "max_files": context.settings.max_attachments,
        "max_megabytes": context.settings.max_attachment_bytes // (1024 * 1024),
        "problem": problem, "values": values, "errors": errors, "done": done,
        "action": request.url.path}, status_code=status, headers={**NO_STORE, **(headers or {})})


async def _opened(request: Request) -> ExplanationRequest | LinkRefused:
    found = read_explanation_token(app_context(request).settings.secret_key,
                                   request.path_params["token"])
    if found is None:
        return LinkRefused(Problem(UNKNOWN_LINK), 404)
    try:
        return await open_request(*found, dt.datetime.now(dt.UTC))
    except LinkRefused as refused:
        return refused


async def explanation_form(request: Request) -> Response:
    if request.query_params.get("done") == "1":
        return _page(request, None, None, {}, {}, done=True)
    opened = await _opened(request)
    if isinstance(opened, LinkRefused):
        return _page(request, None, opened.problem, {}, {}, opened.status)
    return _page(request, opened, None, {}, {})


async def send_explanation(request: Request) -> Response:
    context = app_context(request)
    opened = await _opened(request)
    if isinstance(opened, LinkRefused):
        return _page(request, None, opened.problem, {}, {}, opened.status)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return _page(request, opened, form, {}, {}, 400)
    values, uploads = text_fields(form), uploaded_files(form, FILES_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Please send it again."))
        return _page(request, opened, problem, values, {}, 400)
    try:
        await answer_explanation(context.filing, opened.id, opened.link_nonce, values, uploads,
                                 context.allowances.followup, client_address(request),
                                 dt.datetime.now(dt.UTC))
    except LinkRefused as refused:
        return _page(request, None, refused.problem, {}, {}, refused.status)
    except FilingRefused as refused:
        status, headers = refused_answer(refused)
        return _page(request, opened, refused.errors.get("form"), values, refused.errors, status,
                     headers=headers)
    return RedirectResponse(f"{request.url.path}?done=1", status_code=303)
