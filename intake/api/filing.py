"""Open311 POST requests: a report filed through the same service as the web form. A client
that retries — with the same Idempotency-Key, or a registered client with the same content
within a day — gets the first filing's answer, and no second case is made."""

from __future__ import annotations

import hashlib

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import answer, error_response, language, words
from intake.api.callers import Caller, UnknownKey, identify
from intake.api.fields import CONTACT_NOT_KEPT, MEDIA_FIELD, report_fields
from intake.api.refusals import posted_form, refusal_response
from intake.api.requests import UNKNOWN_KEY, UNKNOWN_SERVICE
from intake.context import app_context
from intake.formdata import uploaded_files
from workflows.access.limits import network
from workflows.cases.filing import API_CHANNEL, EntryPoint
from workflows.cases.filing_refusals import FilingRefused
from workflows.cases.repeats import (
    MAX_IDEMPOTENCY_KEY_CHARS,
    KeyReused,
    RepeatKey,
    by_content,
    by_idempotency_key,
    request_digest,
)
from workflows.i18n.messages import N_, Problem
from workflows.reference.catalog import CATEGORIES, codes

RECEIVED = N_("Received. Keep the code and the PIN to follow the report.")
KEY_REUSED = N_("This Idempotency-Key was used for another request: send a new key with a new "
                "report.")
BAD_KEY = N_("An Idempotency-Key is 1 to {limit} visible ASCII characters.")


def _idempotency_key(request: Request) -> str | None | Problem:
    typed = request.headers.get("idempotency-key")
    if typed is None:
        return None
    key = typed.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':  # a structured-field string
        key = key[1:-1]
    if not key or len(key) > MAX_IDEMPOTENCY_KEY_CHARS or not (key.isascii() and key.isprintable()):
        return Problem(BAD_KEY, {"limit": MAX_IDEMPOTENCY_KEY_CHARS})
    return key


async def _file_digests(form: FormData) -> list[str]:
    """The SHA-256 of each file, read once more (the filing reads them again from the start)."""
    digests = []
    for upload in uploaded_files(form, MEDIA_FIELD):
        digest = hashlib.sha256()
        while chunk := await upload.read(1024 * 1024):
            digest.update(chunk)
        await upload.seek(0)
        digests.append(digest.hexdigest())
    return digests


async def _repeat_key(header: str | None, caller: Caller, form: FormData,
                      fields: list[tuple[str, str]]) -> RepeatKey | None:
    """Where a retry finds this filing: by its Idempotency-Key, which is the caller's own (a
    keyed client's, or an address's network: a key is no password), or for a keyed client by
    the request's content."""
    if header is None and caller.client is None:
        return None
    digest = request_digest([(name, value) for name, value in fields if name != "api_key"],
                            await _file_digests(form))
    scope = caller.client.subject if caller.client else f"anonymous:{network(caller.address)}"
    if header is not None:
        return by_idempotency_key(scope, header, digest)
    return by_content(scope, digest)


async def create_request(request: Request) -> Response:
    context = app_context(request)
    form = await posted_form(request)
    if isinstance(form, Response):
        return form
    header = _idempotency_key(request)
    if isinstance(header, Problem):
        return error_response(request, 400, {"Idempotency-Key": header})
    fields = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    try:
        caller = await identify(request, [value for name, value in fields if name == "api_key"])
    except UnknownKey:
        return error_response(request, 403, {"api_key": Problem(UNKNOWN_KEY)})
    report = report_fields(fields, consent_collected=bool(
        caller.client and caller.client.collects_consent))
    service_code = report.values.get("category", "")
    if service_code and service_code not in codes(CATEGORIES):
        return error_response(request, 404, {"category": Problem(UNKNOWN_SERVICE)})
    entry = EntryPoint(API_CHANNEL, caller.actor, language(request),
                       None if caller.client else caller.address, caller.client)
    try:
        filed = await context.filing.file(
            report.values, uploaded_files(form, MEDIA_FIELD), entry, found=report.errors,
            extras=report.extras, repeat=await _repeat_key(header, caller, form, fields))
    except KeyReused:
        return error_response(request, 422, {"Idempotency-Key": Problem(KEY_REUSED)})
    except FilingRefused as refused:
        return refusal_response(request, refused, report.sent_as)
    said = words(request)
    notice = " ".join((said(RECEIVED), *([said(CONTACT_NOT_KEPT)] if report.contact_dropped
                                          else [])))
    return answer(request, "service_requests", [{
        "service_request_id": filed.case.tracking_code, "service_notice": notice,
        "account_id": None, "pin": filed.pin or None}], 201,
        {"Idempotent-Replayed": "true"} if filed.repeated else None)
