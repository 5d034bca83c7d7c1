"""What the public endpoints tell a caller who has used up their allowance (see
workflows.rate_limits)."""

from __future__ import annotations

import datetime as dt
import math

from starlette.requests import Request

from workflows.access.limits import RateLimited
from workflows.i18n.formatting import format_datetime
from workflows.i18n.messages import N_, Problem


def client_address(request: Request) -> str:
    """The caller's address (uvicorn puts a trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


def too_many_reports(limited: RateLimited) -> Problem:
    return Problem(N_("Too many reports were sent from your network in the last hour. Please "
                      "try again after {time}, or call the hotline."),
                   {"time": format_datetime(limited.retry_at)})


def too_many_lookups(limited: RateLimited) -> Problem:
    return Problem(N_("Too many look-ups from your network in the last hour. Please try again "
                      "after {time}."), {"time": format_datetime(limited.retry_at)})


def retry_after(limited: RateLimited) -> str:
    seconds = (limited.retry_at - dt.datetime.now(dt.UTC)).total_seconds()
    return str(max(1, math.ceil(seconds)))
