"""`/sms/delivery/{token}`: the SMS gateway reports what became of a message (Kannel's
dlr-url). Only the gateway may: the caller's address must be one of
INTAKE_SMS_GATEWAY_ADDRESSES, and the token must be one Intake signed for that message. The
token stays out of the access log (intake/access_log.py reads `{token}` from the route)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from intake.context import app_context
from intake.requester import client_address
from intake.sms_links import read_delivery_token
from workflows.mail.sms_delivery import UnknownReport, record_delivery

log = logging.getLogger("intake")


async def delivery_report(request: Request) -> Response:
    settings = app_context(request).settings
    address = client_address(request)
    if not settings.sms.from_gateway(address):
        log.warning("an SMS delivery report from %s, which is not in "
                    "INTAKE_SMS_GATEWAY_ADDRESSES, was refused", address)
        return PlainTextResponse("Only the SMS gateway reports deliveries.", status_code=403)
    message_id = read_delivery_token(settings.secret_key, request.path_params["token"])
    if message_id is None:
        log.warning("an SMS delivery report with a token Intake did not sign was refused")
        return PlainTextResponse("Unknown message.", status_code=404)
    raw = request.query_params.get("type", "")
    if not raw.isdigit() or len(raw) > 2:
        return PlainTextResponse("type: expected Kannel's report type (%d).", status_code=400)
    try:
        known = await record_delivery(message_id, int(raw))
    except UnknownReport as unknown:
        return PlainTextResponse(f"type: {unknown}", status_code=400)
    if not known:
        return PlainTextResponse("Unknown message.", status_code=404)
    return PlainTextResponse("Recorded.")
