"""A filing or an update refused, said in Open311's form (one mapping for every POST)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import error_response
from intake.errors import RETRY_SECONDS
from intake.requester import retry_after
from workflows.cases.filing_refusals import FilingRefused, NothingStored, TooManyReports


def refusal_response(request: Request, refused: FilingRefused) -> Response:
    """Nothing stored, said in Open311's form: 429 with Retry-After when the allowance is
    used up, 503 when the database or disk refused for now, else 400 naming each field."""
    if isinstance(refused, TooManyReports):
        return error_response(request, 429, refused.errors, retry_after(refused.limited))
    if isinstance(refused, NothingStored):
        return error_response(request, 503, refused.errors, {"Retry-After": RETRY_SECONDS})
    return error_response(request, 400, refused.errors)
