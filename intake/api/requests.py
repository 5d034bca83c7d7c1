"""Open311 service requests, read: one by its id, a list with the spec's filters, and a token
(answered at once: a report has its id as soon as it is filed). Public fields only — the
description is withheld, the place is its commune or ward, the position rounded to a kilometre.
Every read is a look-up under the caller's hourly allowance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import answer, error_response, plain_error, words
from intake.api.callers import Caller, UnknownKey, identify
from intake.api.query import ListFilters, read_filters
from intake.context import app_context
from intake.requester import retry_after
from workflows.access.limits import RateLimited, spend
from workflows.cases.public_feed import PublicRequest, RequestQuery, public_requests
from workflows.cases.tracking import normalize_tracking_code
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.i18n.translations import Translator
from workflows.reference.agencies import Agency
from workflows.reference.catalog import CATEGORIES, PUBLIC_STATUSES, WITH_AUTHORITIES

NOT_FOUND = N_("No report has this code. Check the code on your receipt.")
UNKNOWN_KEY = N_("This api_key is not known, or was revoked.")
UNKNOWN_SERVICE = N_("Unknown service code.")
Reader = Callable[[Request, Caller], Awaitable[Response]]


def iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds") if moment else None


def request_item(item: PublicRequest, said: Translator,
                 agencies: dict[str, Agency]) -> dict[str, object]:
    agency = agencies.get(item.agency_code or "")
    return {
        "service_request_id": item.tracking_code,
        "status": "open" if item.is_open else "closed",
        # A case with the police: only that the competent authorities handle it.
        "status_notes": (said.label(PUBLIC_STATUSES, item.status)
                         if item.status == WITH_AUTHORITIES else item.notes or None),
        "service_name": said.label(CATEGORIES, item.category),
        "service_code": item.category,
        "description": None,  # the reporter's narrative is never published
        "agency_responsible": said.gettext(agency.label) if agency else None,
        "service_notice": None,
        "requested_datetime": iso(item.created_at),
        "updated_datetime": iso(item.updated_at),
        "expected_datetime": iso(item.due_at),
        "address": item.commune or None,
        "address_id": None,
        "zipcode": None,
        "lat": item.latitude,
        "long": item.longitude,
        "media_url": None,  # evidence is for the agencies only
    }


async def read_as_caller(request: Request, reader: Reader) -> Response:
    """Who asks (403 for a wrong key), their look-up counted (429 when used up), then `reader`."""
    try:
        caller = await identify(request)
        await spend(app_context(request).allowances.track, caller.subject)
    except UnknownKey:
        return error_response(request, 403, {"api_key": Problem(UNKNOWN_KEY)})
    except RateLimited as limited:
        return error_response(request, 429, {"request": limited.problem}, retry_after(limited))
    return await reader(request, caller)


def _listing(request: Request, items: list[PublicRequest]) -> Response:
    said = words(request)
    agencies = app_context(request).reference.agencies
    return answer(request, "service_requests",
                  [request_item(item, said, agencies) for item in items])


async def _one(request: Request, caller: Caller) -> Response:
    code = normalize_tracking_code(request.path_params["code"])
    found = await public_requests(RequestQuery(tracking_codes=(code,))) if code else []
    if not found:
        return error_response(request, 404, {"service_request_id": Problem(NOT_FOUND)})
    return _listing(request, found)


async def get_request(request: Request) -> Response:
    return await read_as_caller(request, _one)


def query_of(filters: ListFilters) -> RequestQuery:
    return RequestQuery(tracking_codes=filters.tracking_codes, categories=filters.categories,
                        start=filters.start, end=filters.end, is_open=filters.is_open)


async def _list(request: Request, caller: Caller) -> Response:
    filters = read_filters(request.query_params)
    if filters.errors:
        return error_response(request, 400, filters.errors)
    if filters.unknown_categories and not filters.ids_asked:
        return error_response(request, 404, {"category": Problem(UNKNOWN_SERVICE)})
    if filters.ids_asked and not filters.tracking_codes:
        return _listing(request, [])
    return _listing(request, await public_requests(query_of(filters)))


async def list_requests(request: Request) -> Response:
    return await read_as_caller(request, _list)


async def _token(request: Request, caller: Caller) -> Response:
    code = normalize_tracking_code(request.path_params["token"])
    found = await public_requests(RequestQuery(tracking_codes=(code,))) if code else []
    if not found:
        return plain_error(request, 404, NOT_FOUND)
    return answer(request, "service_requests", [
        {"token": request.path_params["token"], "service_request_id": found[0].tracking_code}])


async def get_token(request: Request) -> Response:
    return await read_as_caller(request, _token)
