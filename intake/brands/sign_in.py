"""A brand owner's way in: the page that explains the scheme and asks for an address (a link
is mailed to a verified owner, the same answer either way), the link's page whose button
starts a session, and the session's cookie (signed; it names the session kept on the owner,
so signing out or losing verification ends it on every worker)."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.formdata import checked_fields
from intake.links import BRAND_SIGN_IN_SALT, read_record_token
from intake.public.cookies import forget, read_signed, set_signed
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited, spend
from workflows.i18n.messages import N_, Problem
from workflows.parties.brand_access import (
    SESSION_LIFETIME,
    linked_owner,
    send_sign_in_link,
    session_owner,
    sign_out,
    use_sign_in_link,
)
from workflows.parties.models import BrandOwner

COOKIE = "intake_brand"
COOKIE_PATH = "/brands"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
LINK_REFUSED = N_("This sign-in link is not valid any more: it works once, for 30 minutes. Ask "
                  "for a new one below.")


async def signed_in_owner(request: Request) -> BrandOwner | None:
    value = read_signed(request, COOKIE, "brand_session", int(SESSION_LIFETIME.total_seconds()))
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)
            and isinstance(value[1], str)):
        return None
    return await session_owner(value[0], value[1])


def _landing(request: Request, values: dict[str, str], problem: Problem | None = None,
             sent: bool = False, status: int = 200) -> Response:
    return render(request, "brands/sign_in.html", {"values": values, "problem": problem,
                                                   "sent": sent}, status_code=status,
                  headers=NO_STORE)


async def sign_in_form(request: Request) -> Response:
    if await signed_in_owner(request) is not None:
        return RedirectResponse("/brands/portal", status_code=303)
    return _landing(request, {})


async def ask_for_link(request: Request) -> Response:
    context = app_context(request)
    values = await checked_fields(request, context.settings)
    if isinstance(values, Problem):
        return _landing(request, {}, values, status=400)
    try:  # a look-up: whether an address is registered is not learnt for free
        await spend(context.allowances.track, client_address(request))
    except RateLimited as limited:
        return render(request, "public/error.html", {"status": 429}, status_code=429,
                      headers=retry_after(limited))
    await send_sign_in_link(values.get("email", ""), context.outbox_sender.notifier,
                            context.events, dt.datetime.now(dt.UTC))
    return _landing(request, {}, sent=True)


def _token(request: Request) -> tuple[int, str] | None:
    return read_record_token(app_context(request).settings.secret_key, BRAND_SIGN_IN_SALT,
                             request.path_params["token"])


async def sign_in_link(request: Request) -> Response:
    """GET shows the button (a mail scanner opening the link signs nobody in); POST signs in."""
    now = dt.datetime.now(dt.UTC)
    found = _token(request)
    owner = await linked_owner(*found, now) if found else None
    if owner is None:
        return _landing(request, {}, Problem(LINK_REFUSED), status=410)
    if request.method == "GET":
        return render(request, "brands/sign_in_link.html", {"owner": owner}, headers=NO_STORE)
    values = await checked_fields(request, app_context(request).settings)
    if isinstance(values, Problem):
        return render(request, "brands/sign_in_link.html", {"owner": owner, "problem": values},
                      status_code=400, headers=NO_STORE)
    assert found is not None
    session = await use_sign_in_link(*found, now)
    if session is None:
        return _landing(request, {}, Problem(LINK_REFUSED), status=410)
    response = RedirectResponse("/brands/portal", status_code=303)
    set_signed(request, response, COOKIE, "brand_session", [owner.id, session], path=COOKIE_PATH,
               max_age=int(SESSION_LIFETIME.total_seconds()))
    return response


async def sign_out_owner(request: Request) -> Response:
    owner = await signed_in_owner(request)
    values = await checked_fields(request, app_context(request).settings)
    if owner is not None and not isinstance(values, Problem):
        await sign_out(owner)
    response = RedirectResponse("/brands", status_code=303)
    forget(request, response, COOKIE, path=COOKIE_PATH)
    return response
