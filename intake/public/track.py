"""Following a case with its tracking code: its public status, and nothing of the reporter."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.client import client_address, retry_after
from intake.context import app_context
from intake.templating import render
from workflows.access.limits import RateLimited
from workflows.cases.public_view import look_up, public_status
from workflows.i18n.messages import N_, Problem


async def track(request: Request) -> Response:
    context = app_context(request)
    typed = request.query_params.get("code", "")
    if not typed:
        return render(request, "public/track.html", {"typed": "", "status": None, "problem": None})
    try:
        case = await look_up(typed, client_address(request), context.allowances.track)
    except RateLimited as limited:
        return render(request, "public/track.html",
                      {"typed": typed, "status": None, "problem": limited.problem},
                      status_code=429, headers=retry_after(limited))
    if case is None:
        problem = Problem(N_("No report has this code. Check the code on your receipt."))
        return render(request, "public/track.html",
                      {"typed": typed, "status": None, "problem": problem}, status_code=404)
    status = await public_status(case)
    return render(request, "public/track.html",
                  {"typed": typed, "status": status, "problem": None,
                   "agency": context.reference.agencies.get(status.agency_code or "")})
