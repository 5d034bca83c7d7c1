"""The reporter's answer on an outcome, from the link in the resolution notice: the link is
signed (no account, no PIN), names one case and one resolution, and stays valid long enough for
a late answer; a review can still be asked only within the window the agency's service level
sets (workflows.cases.feedback)."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.formdata import checked_fields
from intake.links import read_feedback_token
from intake.templating import render
from workflows.cases.feedback import feedback_asked, give_feedback
from workflows.cases.models import Case
from workflows.cases.public_view import find_case
from workflows.cases.refusals import ActionRefused
from workflows.i18n.messages import N_, Errors, Problem

EXPIRED = N_("This link is no longer valid. You can still answer on your report's page, with "
             "your tracking code and PIN.")


def answer(typed: str) -> bool | None:
    return {"yes": True, "no": False}.get(typed)


async def _page(request: Request, case: Case | None, problem: Problem | None,
                values: dict[str, str], errors: Errors, status: int = 200) -> Response:
    asked = await feedback_asked(case, app_context(request).reference) if case else None
    return render(request, "public/feedback.html",
                  {"case": case, "asked": asked, "problem": problem, "values": values,
                   "errors": errors, "action": request.url.path}, status_code=status,
                  headers={"Cache-Control": "no-store"})


async def _linked_case(request: Request) -> tuple[Case | None, dt.datetime | None, bool | None]:
    found = read_feedback_token(app_context(request).settings.secret_key,
                                request.path_params["token"])
    if found is None:
        return None, None, None
    code, resolved_at, satisfied = found
    return await find_case(code), resolved_at, satisfied


async def feedback_form(request: Request) -> Response:
    case, resolved_at, satisfied = await _linked_case(request)
    if case is None or resolved_at != case.resolved_at:
        return await _page(request, None, Problem(EXPIRED), {}, {}, 410)
    return await _page(request, case, None, {"satisfied": "yes" if satisfied else "no"}, {})


async def send_feedback(request: Request) -> Response:
    context = app_context(request)
    case, resolved_at, _ = await _linked_case(request)
    if case is None or resolved_at is None:
        return await _page(request, None, Problem(EXPIRED), {}, {}, 410)
    values = await checked_fields(request, context.settings)
    if isinstance(values, Problem):
        return await _page(request, case, values, {}, {}, 400)
    try:
        await give_feedback(case, answer(values.get("satisfied", "")), values.get("comment", ""),
                            context.reference, context.events, resolved_at)
    except ActionRefused as refused:
        return await _page(request, case, next(iter(refused.errors.values()), None), values,
                           refused.errors, 400)
    return RedirectResponse(request.url.path, status_code=303)
