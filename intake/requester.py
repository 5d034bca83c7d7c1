"""The person or program behind a request: the address limits count it by, and how long it
must wait when a limit (workflows.access.limits) says no."""

from __future__ import annotations

import datetime as dt
import math

from starlette.requests import Request

from workflows.access.limits import RateLimited


def client_address(request: Request) -> str:
    """The caller's address (uvicorn puts a trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


def retry_after(limited: RateLimited) -> dict[str, str]:
    """The Retry-After header for a refusal: whole seconds until the limit lets them in."""
    seconds = (limited.retry_at - dt.datetime.now(dt.UTC)).total_seconds()
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
