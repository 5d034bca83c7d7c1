"""`servicerequestupdates`: the public updates of every case in a window, in the form
FixMyStreet reads (update_id, service_request_id, status, updated_datetime, description,
media_url), so that a FixMyStreet instance shows the agency's answers on its own report page.

`status` uses FixMyStreet's words for where a case stands (open, investigating, in_progress,
fixed, no_further_action, internal_referral, duplicate, closed); `external_status_code` gives
Intake's own. An update that changed only the status says so in a sentence."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import answer, error_response, words
from intake.api.callers import Caller
from intake.api.query import read_filters
from intake.api.requests import iso, read_as_caller
from workflows.cases.public_feed import PublicUpdate, UpdateQuery, public_updates
from workflows.cases.states import EVENTS
from workflows.i18n.translations import Translator

# Intake's status -> FixMyStreet's; a resolution by what the agency found.
STATUS_WORDS = {
    "received": "open", "triaged": "open", "assigned": "in_progress",
    "in_progress": "in_progress", "waiting": "investigating", "rejected": "no_further_action",
    "resolved": "closed", "closed": "closed",
}
OUTCOME_WORDS = {
    "violation_confirmed": "fixed", "not_confirmed": "no_further_action",
    "referred": "internal_referral", "insufficient_information": "no_further_action",
}


def fms_status(update: PublicUpdate) -> str:
    told = EVENTS[update.action].told if update.action in EVENTS else None
    if told is not None and told.fms_status:
        return told.fms_status
    if update.outcome:  # settled with an outcome: what the agency found
        return OUTCOME_WORDS.get(update.outcome, "closed")
    return STATUS_WORDS.get(update.status, "open")


def update_item(update: PublicUpdate, said: Translator) -> dict[str, object]:
    """An update in FixMyStreet's form: the agency's own words, or the sentence its event's
    declaration says (`Told.sentence`)."""
    told = EVENTS[update.action].told if update.action in EVENTS else None
    return {
        "update_id": str(update.id),
        "service_request_id": update.tracking_code,
        "status": fms_status(update),
        "external_status_code": update.status,
        "updated_datetime": iso(update.created_at),
        "description": update.description or (said(told.sentence) if told else ""),
        "media_url": None,
    }


async def _updates(request: Request, caller: Caller) -> Response:
    filters = read_filters(request.query_params, with_status=False)
    if filters.errors:
        return error_response(request, 400, filters.errors)
    if filters.ids_asked and not filters.tracking_codes:
        return answer(request, "service_request_updates", [])
    found = await public_updates(UpdateQuery(filters.start, filters.end, filters.tracking_codes))
    said = words(request)
    return answer(request, "service_request_updates",
                  [update_item(update, said) for update in found])


async def service_request_updates(request: Request) -> Response:
    return await read_as_caller(request, _updates)
