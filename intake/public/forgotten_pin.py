""""Quên mã PIN?" on /track: the code and the contact the reporter left, and a link to their
page goes to that contact (workflows.cases.forgotten_pin). The page says the same whether or
not they match, and takes as long: the look-up comes after the answer."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response

from intake.context import AppContext, app_context
from intake.formdata import checked_fields
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited
from workflows.cases.filing import nothing_stored_on_outage
from workflows.cases.filing_refusals import NothingStored
from workflows.cases.forgotten_pin import LinkAsked, charge_link_request, send_if_on_file
from workflows.cases.refusals import InvalidInput
from workflows.i18n.messages import Problem
from workflows.mail import reporter_messages

log = logging.getLogger("intake")


def _page(request: Request, forgot: dict[str, Any], status: int = 200,
          headers: dict[str, str] | None = None) -> Response:
    return render(request, "public/track.html",
                  {"typed": forgot.get("code", ""), "status": None, "problem": None,
                   "forgot": forgot}, status_code=status,
                  headers={"Cache-Control": "no-store", **(headers or {})})


async def forgot_pin(request: Request) -> Response:
    context = app_context(request)
    values = await checked_fields(request, context.settings)
    if isinstance(values, Problem):
        return _page(request, {"problem": values}, 400)
    forgot = {"code": values.get("code", "")[:40], "contact": values.get("contact", "")[:254]}
    try:
        async with nothing_stored_on_outage():
            asked = await charge_link_request(forgot["code"], forgot["contact"],
                                              client_address(request), context.allowances.track,
                                              context.settings.secret_key)
    except InvalidInput as invalid:
        return _page(request, {**forgot, "errors": invalid.errors}, 400)
    except RateLimited as limited:
        return _page(request, {**forgot, "problem": limited.problem}, 429,
                     retry_after(limited))
    except NothingStored as refused:
        return _page(request, {**forgot, "problem": next(iter(refused.errors.values()))}, 503,
                     {"Retry-After": "30"})
    response = _page(request, {"code": forgot["code"], "sent": True})
    # Looked up and queued once the answer has gone: it takes as long whether or not they match.
    response.background = BackgroundTask(_send_link, context, asked)
    return response


async def _send_link(context: AppContext, asked: LinkAsked) -> None:
    try:
        await send_if_on_file(asked, partial(reporter_messages.send_link,
                                             context.outbox_sender.notifier))
    except Exception:  # the answer is given: an outage loses this link, which is asked again
        log.exception("a reporter's link could not be queued")
        return
    context.wake_senders()
