"""`servicerequestupdates`: the public updates of every case in a window, in the form
FixMyStreet reads (update_id, service_request_id, status, updated_datetime, description,
media_url), so that a FixMyStreet instance shows the agency's answers on its own report page;
and, POSTed by the client that filed a case, a citizen's update to it (FixMyStreet's
post_service_request_update), which joins the case as the reporter's follow-up.

`status` uses FixMyStreet's words for where a case stands (open, investigating, in_progress,
fixed, no_further_action, internal_referral, duplicate, closed); `external_status_code` gives
Intake's own. An update that changed only the status says so in a sentence."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import answer, error_response, words
from intake.api.callers import Caller, UnknownKey, identify
from intake.api.query import read_filters
from intake.api.refusals import posted_form, refusal_response
from intake.api.requests import UNKNOWN_KEY, iso, read_as_caller
from intake.context import app_context
from workflows.cases.client_updates import (
    ClientUpdate,
    UpdateIdReused,
    add_client_update,
    case_filed_by,
    update_id_problem,
)
from workflows.cases.filing_refusals import FilingRefused
from workflows.cases.public_feed import PublicUpdate, UpdateQuery, public_updates
from workflows.cases.states import EVENTS
from workflows.i18n.messages import N_, Problem
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


NOT_ITS_CASE = N_("No report with this service_request_id was filed with this api_key.")
UPDATE_ID_REUSED = N_("This update_id was used for another update: send a new id with a new "
                      "update.")
KEY_NEEDED = N_("Updates are posted with the api_key of the client that filed the report.")


async def post_update(request: Request) -> Response:
    """A citizen's update, as FixMyStreet posts it: service_request_id, update_id (or
    update_id_ext), updated_datetime, status, description, media_url and the person's fields
    (not kept). Answered with Intake's id for the update; the same update id again gets it
    again, with Idempotent-Replayed."""
    context = app_context(request)
    form = await posted_form(request)
    if isinstance(form, Response):
        return form
    fields = {name: value for name, value in reversed(list(form.multi_items()))
              if isinstance(value, str)}
    try:
        caller = await identify(request, [value for name, value in form.multi_items()
                                          if name == "api_key" and isinstance(value, str)])
    except UnknownKey:
        return error_response(request, 403, {"api_key": Problem(UNKNOWN_KEY)})
    if caller.client is None:
        return error_response(request, 403, {"api_key": Problem(KEY_NEEDED)})
    update_id = fields.get("update_id", "").strip() or fields.get("update_id_ext", "").strip()
    if problem := update_id_problem(update_id):
        return error_response(request, 400, {"update_id": problem})
    case = await case_filed_by(fields.get("service_request_id", ""), caller.client)
    if case is None:
        return error_response(request, 404, {"service_request_id": Problem(NOT_ITS_CASE)})
    update = ClientUpdate(update_id, fields.get("description", ""), fields.get("media_url", ""),
                          fields.get("email", ""))
    try:  # the case's words are the staff's: Vietnamese
        posted = await add_client_update(context.filing, case, caller.client, update,
                                         context.reference.translator("vi"))
    except UpdateIdReused:
        return error_response(request, 422, {"update_id": Problem(UPDATE_ID_REUSED)})
    except FilingRefused as refused:
        return refusal_response(request, refused)
    return answer(request, "service_request_updates",
                  [{"update_id": str(posted.message.id)}], 200,
                  {"Idempotent-Replayed": "true"} if posted.repeated else None)


async def updates_endpoint(request: Request) -> Response:
    """One route for the feed (GET) and for posting an update (POST), so that a 405 names
    both."""
    if request.method == "POST":
        return await post_update(request)
    return await service_request_updates(request)
