"""A filing or an update refused, said in Open311's form (one mapping for every POST)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import error_response
from intake.api.callers import UnknownKey, identify
from intake.api.requests import UNKNOWN_KEY
from intake.context import app_context
from intake.errors import RETRY_SECONDS
from intake.formdata import FORM_TYPES, media_type, read_form
from intake.requester import retry_after
from workflows.cases.filing_refusals import FilingRefused, NothingStored, TooManyReports
from workflows.i18n.messages import N_, Problem

NOT_A_FORM = N_("GeoReport v2 posts a form: send application/x-www-form-urlencoded, or "
                "multipart/form-data with files.")


async def posted_form(request: Request) -> FormData | Response:
    """The POST's form, or the answer that refuses it: 415 for a body of another type or of
    none said (a JSON body would otherwise read as an empty form and be told each field is
    missing), 400 for a form that cannot be read."""
    kind, _ = media_type(request)
    has_body = request.headers.get("content-length", "0").strip() not in ("", "0") or \
        "transfer-encoding" in request.headers
    if (kind or has_body) and kind not in FORM_TYPES:
        return error_response(request, 415, {"Content-Type": Problem(NOT_A_FORM)},
                              {"Accept-Post": ", ".join(sorted(FORM_TYPES))})
    form = await read_form(request, app_context(request).settings)
    if isinstance(form, Problem):
        return error_response(request, 400, {"form": form})
    return form


def refusal_response(request: Request, refused: FilingRefused,
                     sent_as: Mapping[str, str] | None = None) -> Response:
    """Nothing stored, said in Open311's form: 429 with Retry-After when the allowance is
    used up, 503 when the database or disk refused for now, else 400 naming each field (as
    the client sent it: `sent_as`)."""
    if isinstance(refused, TooManyReports):
        return error_response(request, 429, refused.errors, retry_after(refused.limited))
    if isinstance(refused, NothingStored):
        return error_response(request, 503, refused.errors, {"Retry-After": RETRY_SECONDS})
    return error_response(request, 400, refused.errors, sent_as=sent_as)


async def wrong_key(request: Request) -> Response | None:
    """A 403 for a wrong or revoked key on a request that needs none (the services, the
    discovery and OpenAPI documents), never a quiet answer as to anyone; None otherwise."""
    try:
        await identify(request)
    except UnknownKey:
        return error_response(request, 403, {"api_key": Problem(UNKNOWN_KEY)})
    return None
