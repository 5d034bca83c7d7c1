""""Quên mã PIN?" on /track: the code and the contact the reporter left, and a link to their
page goes to that contact (workflows.cases.forgotten_pin). The page says the same whether or
not they match."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from intake.context import app_context
from intake.formdata import checked_fields
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited
from workflows.cases.filing import NothingStored, nothing_stored_on_outage
from workflows.cases.forgotten_pin import send_reporter_link
from workflows.cases.refusals import InvalidInput
from workflows.i18n.messages import Problem
from workflows.mail import reporter_messages


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
    sender = context.outbox_sender
    try:
        async with nothing_stored_on_outage():
            await send_reporter_link(forgot["code"], forgot["contact"], client_address(request),
                                     context.allowances.track, context.settings.secret_key,
                                     partial(reporter_messages.send_link, sender.notifier),
                                     dt.datetime.now(dt.UTC))
    except InvalidInput as invalid:
        return _page(request, {**forgot, "errors": invalid.errors}, 400)
    except RateLimited as limited:
        return _page(request, {**forgot, "problem": limited.problem}, 429,
                     retry_after(limited))
    except NothingStored as refused:
        return _page(request, {**forgot, "problem": next(iter(refused.errors.values()))}, 503,
                     {"Retry-After": "30"})
    sender.wake()
    return _page(request, {"code": forgot["code"], "sent": True})
