"""Following a case by email, from its /track page: the address is asked to confirm by a
link, every mail after that carries a link to stop. Both links open a page with a button, so
that a mail scanner opening links neither subscribes nor unsubscribes anyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from intake.context import app_context
from intake.formdata import checked_fields
from intake.links import FOLLOW_SALT, UNFOLLOW_SALT, read_record_token
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited, spend
from workflows.access.networks import network_digest
from workflows.cases.public_view import find_case, public_status
from workflows.cases.refusals import InvalidInput
from workflows.cases.tracking import normalize_tracking_code
from workflows.i18n.messages import N_, Problem
from workflows.parties.followers import (
    FollowLinkRefused,
    ask_to_follow,
    confirm,
    linked_case_code,
    unsubscribe,
)

NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
NOT_A_LINK = N_("This link is not valid. Check that it was copied whole from the email.")


async def follow_case(request: Request) -> Response:
    """The /track page's form: an address to mail the case's public changes to."""
    context = app_context(request)
    try:  # a look-up first: whether a code exists is not learnt for free
        await spend(context.allowances.track, client_address(request))
    except RateLimited as limited:
        return render(request, "public/error.html", {"status": 429}, status_code=429,
                      headers=retry_after(limited))
    case = await find_case(normalize_tracking_code(request.path_params["code"]))
    if case is None:
        return render(request, "public/not_found.html", status_code=404)
    values = await checked_fields(request, context.settings)
    typed = values.get("follow_email", "") if isinstance(values, dict) else ""
    shown = await public_status(case)
    page: dict[str, Any] = {
        "typed": case.tracking_code, "problem": None, "status": shown,
        "agency": context.reference.agencies.get(shown.agency_code or ""),
        "follow_email": typed, "follow_errors": {}, "follow_sent": False}
    status: int = 200
    if isinstance(values, Problem):
        page["follow_errors"], status = {"form": values}, 400
    else:
        try:
            await ask_to_follow(case, typed, request.state.language,
                                network_digest(context.settings.secret_key, "follow",
                                               client_address(request)),
                                context.outbox_sender.notifier, context.events,
                                dt.datetime.now(dt.UTC))
            page["follow_sent"], page["follow_email"] = True, ""
        except InvalidInput as invalid:
            page["follow_errors"], status = dict(invalid.errors), 400
    return render(request, "public/track.html", page, status_code=status)


async def _linked(request: Request, salt: str) -> tuple[int, str] | None:
    return read_record_token(app_context(request).settings.secret_key, salt,
                             request.path_params["token"])


async def _link_page(request: Request, salt: str, mode: str) -> Response:
    """GET: the button; POST: what it does (confirm, or stop), then what was done."""
    found = await _linked(request, salt)
    context = app_context(request)
    problem: Problem | None = None if found else Problem(NOT_A_LINK)
    done, case_code, status = False, "", 200 if found else 404
    if found and request.method == "POST":
        values = await checked_fields(request, context.settings)
        if isinstance(values, Problem):
            problem, status = values, 400
        else:
            act = confirm if mode == "follow" else unsubscribe
            try:
                follower = await act(*found, dt.datetime.now(dt.UTC))
                done, case_code = True, follower.case.tracking_code
            except FollowLinkRefused:
                problem, status = Problem(NOT_A_LINK), 404
    elif found:
        try:
            case_code = await linked_case_code(*found)
        except FollowLinkRefused:
            problem, status = Problem(NOT_A_LINK), 404
    return render(request, "public/follow.html",
                  {"mode": mode, "problem": problem, "done": done, "code": case_code,
                   "action": request.url.path}, status_code=status, headers=NO_STORE)


async def follow_link(request: Request) -> Response:
    return await _link_page(request, FOLLOW_SALT, "follow")


async def unfollow_link(request: Request) -> Response:
    return await _link_page(request, UNFOLLOW_SALT, "unfollow")
