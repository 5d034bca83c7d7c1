""""I saw this too" on the report form: the offer to add to a similar open report, made for a
report that would be filed as it is and counted as a look-up — as the form's script asks
(POST /report/similar, the form's text fields) or as a step after the first submit. It says
only that a similar report is being handled; its choice carries the case encrypted for two
hours (intake.encrypted), so the page tells no one which report, nor anything about it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.context import app_context
from intake.encrypted import decrypt, encrypt
from intake.formdata import checked_fields
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited, spend
from workflows.cases.filing import nothing_stored_on_outage
from workflows.cases.filing_refusals import NothingStored
from workflows.cases.validation import CheckedReport
from workflows.parties.supporters import offered_case

CHOICE_PURPOSE = "same-goods"
CHOICE_SECONDS = 2 * 3600


def chosen_case(request: Request, choice: str) -> int:
    """The case a choice names; 0 (no case) when forged or older than two hours."""
    case_id = decrypt(app_context(request).settings.secret_key, CHOICE_PURPOSE, choice,
                      CHOICE_SECONDS)
    return case_id if isinstance(case_id, int) and not isinstance(case_id, bool) else 0


async def _offer(request: Request, checked: CheckedReport) -> str | None:
    """The offer's choice, or None when there is nothing to offer."""
    case_id = await offered_case(checked, app_context(request).filing)
    if case_id is None:
        return None
    return encrypt(app_context(request).settings.secret_key, CHOICE_PURPOSE, case_id)


async def offer(request: Request, checked: CheckedReport) -> str | None:
    """The offer for this form, charged to the address's look-ups (none once they are used
    up, or while the database refuses: the report is then filed as a new one, or told that
    nothing was stored)."""
    try:
        async with nothing_stored_on_outage():
            await spend(app_context(request).allowances.track, client_address(request))
            return await _offer(request, checked)
    except (RateLimited, NothingStored):
        return None  # the filing that follows says what the outage means


async def similar_reports(request: Request) -> Response:
    """The form's script asks with the form's text fields: the offer's fieldset, or nothing."""
    context = app_context(request)
    values = await checked_fields(request, context.settings)
    if not isinstance(values, dict):
        return Response(status_code=400)
    try:
        await spend(context.allowances.track, client_address(request))
    except RateLimited as limited:
        return Response(status_code=429, headers=retry_after(limited))
    checked = context.filing.check(values)
    return render(request, "public/same_goods.html", {"offer": await _offer(request, checked)},
                  headers={"Cache-Control": "no-store"})


async def joined(request: Request) -> Response:
    return render(request, "public/joined.html", {}, headers={"Cache-Control": "no-store"})
