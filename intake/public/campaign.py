"""/suggest: what a citizen sends the campaign that is not a complaint — a suggestion, or a
Vietnamese product or shop they recommend. It goes to the steering committee; the form
comes back field by field as the report form does."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.formdata import checked_fields
from intake.public.report import FILLED_HONEYPOT, HONEYPOT_FIELD
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited
from workflows.campaign.feedback import receive
from workflows.cases.refusals import InvalidInput
from workflows.i18n.messages import Errors, Problem


async def _form(request: Request, values: dict[str, str], errors: Errors, status: int = 200,
                headers: dict[str, str] | None = None) -> Response:
    return render(request, "public/suggest.html",
                  {"values": values, "errors": errors,
                   "sent": request.query_params.get("sent") == "1" and status == 200},
                  status_code=status, headers=headers)


async def suggest(request: Request) -> Response:
    if request.method == "GET":
        return await _form(request, {"kind": request.query_params.get("kind", "")}, {})
    context = app_context(request)
    values = await checked_fields(request, context.settings)
    if isinstance(values, Problem):
        return await _form(request, {}, {"form": values}, 400)
    if context.settings.honeypot and values.get(HONEYPOT_FIELD):
        return await _form(request, values, {"form": Problem(FILLED_HONEYPOT)}, 400)
    try:
        await receive(values, context.reference.places, request.state.language,
                      context.allowances.report, client_address(request))
    except InvalidInput as invalid:
        return await _form(request, values, invalid.errors, 400)
    except RateLimited as limited:
        return await _form(request, values, {"form": limited.problem}, 429,
                           retry_after(limited))
    return RedirectResponse("/suggest?sent=1", status_code=303)
