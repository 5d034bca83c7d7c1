"""The report form and its receipt. Post/redirect/get: a refusal re-renders the form with the
values typed and a message per field (400, 429 or 503); a filed report goes to its receipt."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.context import app_context
from intake.errors import refused_answer
from intake.formdata import read_form, text_fields, uploaded_files
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.public.cookies import forget, one_time_pin, set_one_time_pin
from intake.public.guides import MAX_BRAND_CHARS, about_brand
from intake.public.same_goods import chosen_case, offer
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited
from workflows.audit.log import Actor
from workflows.audit.receipts import filing_leaf
from workflows.cases.filing import FILES_FIELD, EntryPoint
from workflows.cases.filing_refusals import FilingRefused
from workflows.cases.public_view import look_up, public_status
from workflows.cases.report_fields import BY_NAME
from workflows.cases.sealing import agency_shown
from workflows.cases.text import clean_text
from workflows.db.errors import DATABASE_UNAVAILABLE
from workflows.i18n.messages import N_, Errors, Problem
from workflows.parties.supporters import JOIN_FIELD, NEW_REPORT, add_to_case

RECEIPT_COOKIE = "intake_receipt"
RECEIPT_MAX_AGE = 15 * 60
# Hidden from people by the stylesheet, left empty by them; bots that fill every field fill it.
HONEYPOT_FIELD = "website"
NO_STORE = {"Cache-Control": "no-store"}
FILLED_HONEYPOT = N_("The field “Leave this empty” was filled in, so the report was not sent. "
                     "If you are a person, clear that field and press Send again.")


# What a link may fill in on the form (/check's "Report this product"): the product's own
# facts, never the reporter's.
PREFILLED = ("barcode", "brand", "product_name")


async def report_form(request: Request) -> Response:
    # "Not stated" until the citizen says otherwise: a preselected country would skew the data.
    values = {"label_origin": "unknown"}
    for name in PREFILLED:
        given = clean_text(request.query_params.get(name, ""))
        if isinstance(given, str) and given:  # a link's odd characters fill in nothing
            values[name] = given[:BY_NAME[name].limit or MAX_BRAND_CHARS]
    about = await about_brand(values.get("brand", ""), values.get("barcode", ""))
    return render(request, "public/report.html",
                  {"values": values, "errors": {}, "files_lost": False, "offer": None, **about})


async def _form_again(request: Request, values: dict[str, str], errors: Errors, *,
                      files_lost: bool, status_code: int = 400,
                      headers: dict[str, str] | None = None,
                      offered: str | None = None) -> Response:
    """The form as typed, with the guides of the brand named (without JavaScript, the form
    shows them only when it comes back)."""
    try:
        about = await about_brand(values.get("brand", ""), values.get("barcode", ""))
    except DATABASE_UNAVAILABLE:
        about = {}  # the form comes back all the same: its message says why
    return render(request, "public/report.html",
                  {"values": values, "errors": errors, "files_lost": files_lost,
                   "offer": offered, **about},
                  status_code=status_code, headers=headers)


async def submit_report(request: Request) -> Response:
    context = app_context(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return await _form_again(request, {}, {"form": form}, files_lost=True)
    values, uploads = text_fields(form), uploaded_files(form, FILES_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        problem = Problem(N_("This form had expired. Check your answers and press Send again."))
        return await _form_again(request, values, {"form": problem}, files_lost=bool(uploads))
    if context.settings.honeypot and values.get(HONEYPOT_FIELD):
        return await _form_again(request, values, {"form": Problem(FILLED_HONEYPOT)},
                                 files_lost=bool(uploads))
    choice = values.get(JOIN_FIELD)
    checked = context.filing.check(values)  # once, for the offer, the filing and the way back
    if choice is None and (offered := await offer(request, checked)):
        # Without JavaScript the offer comes as a step: the same form, and the choice.
        return await _form_again(request, values, {}, files_lost=bool(uploads), status_code=200,
                                 offered=offered)
    entry = EntryPoint("web", Actor.citizen(), request.state.language, client_address(request))
    try:
        if choice and choice != NEW_REPORT:
            await add_to_case(context.filing, chosen_case(request, choice), checked, uploads,
                              client_address(request), request.state.language)
            return RedirectResponse("/report/joined", status_code=303)
        filed = await context.filing.file(checked, uploads, entry)
    except FilingRefused as refused:
        status, headers = refused_answer(refused)
        return await _form_again(request, values, refused.errors, files_lost=bool(uploads),
                                 status_code=status, headers=headers,
                                 offered=await offer(request, checked) if choice else None)
    response = RedirectResponse(f"/receipt/{filed.case.tracking_code}", status_code=303)
    set_one_time_pin(request, response, RECEIPT_COOKIE, "receipt", filed.case.tracking_code,
                     filed.pin, path="/receipt", max_age=RECEIPT_MAX_AGE)
    return response


async def receipt(request: Request) -> Response:
    context = app_context(request)
    try:  # a look-up like any other: the receipt must not test codes for free
        case = await look_up(request.path_params["code"], client_address(request),
                             context.allowances.track)
    except RateLimited as limited:
        return render(request, "public/error.html", {"status": 429}, status_code=429,
                      headers=retry_after(limited))
    if case is None:
        return render(request, "public/not_found.html", status_code=404)
    pin = one_time_pin(request, RECEIPT_COOKIE, "receipt", case.tracking_code, RECEIPT_MAX_AGE)
    # Anyone holding the code may open it: it says what the track page says (of a case with
    # the police, no agency and no date to expect).
    status = await public_status(case)
    agency = agency_shown(case, context.reference.agencies)
    response = render(request, "public/receipt.html",
                      {"case": case, "status": status, "pin": pin, "agency": agency,
                       "leaf": await filing_leaf(case)}, headers=NO_STORE)
    # The PIN is shown once: a reload or the back button does not show it again.
    forget(request, response, RECEIPT_COOKIE, path="/receipt")
    return response
