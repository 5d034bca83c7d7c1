""""I saw this too" on the report form: the offer of open reports about the same goods, made
for a report that would be filed as it is and counted as a look-up — as the form's script asks
(POST /report/similar, the form's text fields) or as a step after the first submit. Each
choice carries the case signed for two hours, never its tracking code, so the offer tells
no one which report it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from intake.client import client_address, retry_after
from intake.context import app_context
from intake.formdata import checked_fields
from intake.templating import render
from workflows.access.limits import RateLimited, spend
from workflows.cases.filing import NothingStored, nothing_stored_on_outage
from workflows.parties.supporters import Match, matches_of_report

CHOICE_SALT = "intake.same-goods"
CHOICE_SECONDS = 2 * 3600


@dataclass(frozen=True)
class Offer:
    choice: str  # the signed case, the radio button's value
    match: Match


def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app_context(request).settings.secret_key, salt=CHOICE_SALT)


def chosen_case(request: Request, choice: str) -> int:
    """The case a choice names; 0 (no case) when forged or older than two hours."""
    try:
        case_id = _signer(request).loads(choice, max_age=CHOICE_SECONDS)
    except BadSignature:
        return 0
    return case_id if isinstance(case_id, int) and not isinstance(case_id, bool) else 0


async def _signed(request: Request, values: dict[str, Any]) -> list[Offer]:
    signer = _signer(request)
    return [Offer(signer.dumps(match.case_id), match)
            for match in await matches_of_report(values, app_context(request).filing)]


async def offers(request: Request, values: dict[str, Any]) -> list[Offer]:
    """The offer for this form, charged to the address's look-ups (none once they are used
    up, or while the database refuses: the report is then filed as a new one, or told that
    nothing was stored)."""
    try:
        async with nothing_stored_on_outage():
            await spend(app_context(request).allowances.track, client_address(request))
            return await _signed(request, values)
    except (RateLimited, NothingStored):
        return []  # the filing that follows says what the outage means


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
    return render(request, "public/same_goods.html", {"matches": await _signed(request, values)},
                  headers={"Cache-Control": "no-store"})


async def joined(request: Request) -> Response:
    return render(request, "public/joined.html", {}, headers={"Cache-Control": "no-store"})
