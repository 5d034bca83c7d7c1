"""What a request that went wrong answers: the 404 and error pages, JSON errors under the API,
and a 503 "nothing was stored" when the database refused or lost the work."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import plain_error
from intake.requester import retry_after
from intake.templating import render
from workflows.cases.filing_refusals import FilingRefused, NothingStored, TooManyReports
from workflows.db.errors import what_refused
from workflows.i18n.messages import N_

log = logging.getLogger("intake")
RETRY_SECONDS = "30"


def refused_answer(refused: FilingRefused) -> tuple[int, dict[str, str]]:
    """A form the filing service refused comes back with this status, saying when to send it
    again: 429 once the address's allowance lets it in, 503 ("nothing was stored": the disk or
    the database refused) in a moment, 400 after the sender fixed it."""
    if isinstance(refused, TooManyReports):
        return 429, retry_after(refused.limited)
    if isinstance(refused, NothingStored):
        return 503, {"Retry-After": RETRY_SECONDS}
    return 400, {}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/open311/")


# What the API says where it has no more to say (its fields' errors name them).
API_NOT_FOUND = N_("Nothing is at this address: the discovery document, /open311/discovery.json, "
                   "lists the endpoints and formats.")
API_WRONG_METHOD = N_("This address does not take {method}: use {allowed}.")
API_INTERNAL = N_("Something went wrong on our side. Please try again later.")
API_BUSY = N_("Busy: nothing was stored. Please try again in a moment.")


async def not_found(request: Request, exc: Exception) -> Response:
    if is_api(request):
        return plain_error(request, 404, API_NOT_FOUND)
    return render(request, "public/not_found.html", status_code=404)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (404, 405 with its Allow header), kept as they are."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 404:
        return await not_found(request, exc)
    if is_api(request) and exc.status_code == 405:
        return plain_error(request, 405, API_WRONG_METHOD, headers, method=request.method,
                           allowed=(headers or {}).get("Allow", ""))
    if is_api(request):
        return plain_error(request, exc.status_code, str(exc.detail), headers)
    return render(request, "public/error.html", {"status": exc.status_code},
                  status_code=exc.status_code, headers=headers)


async def server_error(request: Request, exc: Exception) -> Response:
    # Logged by path only: the request may carry a reporter's personal data.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if is_api(request):
        return plain_error(request, 500, API_INTERNAL)
    return render(request, "public/error.html", {"status": 500}, status_code=500)


async def database_busy(request: Request, exc: Exception) -> Response:
    """The database refused or lost the work (locked too long, connection gone): nothing was
    stored, and a retry in a moment usually succeeds. Never a 500."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                what_refused(exc))
    headers = {"Retry-After": RETRY_SECONDS}
    if is_api(request):
        return plain_error(request, 503, API_BUSY, headers)
    return render(request, "public/error.html", {"status": 503}, status_code=503, headers=headers)
