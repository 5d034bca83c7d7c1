"""What a request that went wrong answers: the 404 and error pages, JSON errors under the API,
and a 503 "nothing was stored" when the database refused or lost the work."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.templating import render

log = logging.getLogger("intake")
RETRY_SECONDS = "30"


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/open311/")


async def not_found(request: Request, exc: Exception) -> Response:
    if is_api(request):
        return JSONResponse([{"code": 404, "description": "not found"}], status_code=404)
    return render(request, "public/not_found.html", status_code=404)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return await not_found(request, exc)
    if is_api(request):
        return JSONResponse([{"code": exc.status_code, "description": str(exc.detail)}],
                            status_code=exc.status_code)
    return render(request, "public/error.html", {"status": exc.status_code},
                  status_code=exc.status_code)


async def server_error(request: Request, exc: Exception) -> Response:
    # Logged by path only: the request may carry a reporter's personal data.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if is_api(request):
        return JSONResponse([{"code": 500, "description": "internal error"}], status_code=500)
    return render(request, "public/error.html", {"status": 500}, status_code=500)


async def database_busy(request: Request, exc: Exception) -> Response:
    """The database refused or lost the work (locked too long, connection gone): nothing was
    stored, and a retry in a moment usually succeeds. Never a 500."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                type(exc).__name__)
    headers = {"Retry-After": RETRY_SECONDS}
    if is_api(request):
        return JSONResponse([{"code": 503, "description": "busy: nothing was stored, try again"}],
                            status_code=503, headers=headers)
    return render(request, "public/error.html", {"status": 503}, status_code=503, headers=headers)
