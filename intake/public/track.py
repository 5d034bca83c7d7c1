"""Following a case with its tracking code: its public status, and nothing of the reporter;
and the proof that its filing is in the audit log."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.context import app_context
from intake.public.report import NO_STORE
from intake.requester import client_address, retry_after
from intake.templating import render
from workflows.access.limits import RateLimited
from workflows.audit.receipts import filing_leaf, inclusion_receipt
from workflows.cases.models import Case
from workflows.cases.public_view import look_up, public_status
from workflows.i18n.messages import N_, Problem


async def track(request: Request) -> Response:
    context = app_context(request)
    typed = request.query_params.get("code", "")
    if not typed:
        return render(request, "public/track.html", {"typed": "", "status": None, "problem": None})
    try:
        case = await look_up(typed, client_address(request), context.allowances.track)
    except RateLimited as limited:
        return render(request, "public/track.html",
                      {"typed": typed, "status": None, "problem": limited.problem},
                      status_code=429, headers=retry_after(limited))
    if case is None:
        problem = Problem(N_("No report has this code. Check the code on your receipt."))
        return render(request, "public/track.html",
                      {"typed": typed, "status": None, "problem": problem}, status_code=404)
    status = await public_status(case)
    return render(request, "public/track.html",
                  {"typed": typed, "status": status, "problem": None,
                   "agency": context.reference.agencies.get(status.agency_code or "")})


async def _case_for_proof(request: Request) -> Case | Response:
    """The case of the code in the path, counted as a look-up, or the page that says why not."""
    context = app_context(request)
    try:
        case = await look_up(request.path_params["code"], client_address(request),
                             context.allowances.track)
    except RateLimited as limited:
        return render(request, "public/error.html", {"status": 429}, status_code=429,
                      headers=retry_after(limited))
    if case is None:
        return render(request, "public/not_found.html", status_code=404)
    return case


async def log_proof(request: Request) -> Response:
    """"Prove my report is in the log": the proof, checked here, and how to check it at home."""
    found = await _case_for_proof(request)
    if isinstance(found, Response):
        return found
    context = app_context(request)
    receipt = await inclusion_receipt(found, context.signer,
                                      clock_skew=context.settings.audit_clock_skew)
    return render(request, "public/proof.html",
                  {"case": found, "receipt": receipt, "leaf": await filing_leaf(found),
                   "vkey": context.signer.verifier.vkey},
                  status_code=200 if receipt else 503,
                  headers={**NO_STORE, **({"Retry-After": "60"} if receipt is None else {})})


async def log_proof_json(request: Request) -> Response:
    found = await _case_for_proof(request)
    if isinstance(found, Response):
        return found
    context = app_context(request)
    receipt = await inclusion_receipt(found, context.signer,
                                      clock_skew=context.settings.audit_clock_skew)
    if receipt is None:
        return JSONResponse({"error": "the report is not in the log yet: try again in a minute"},
                            status_code=503, headers={"Retry-After": "60"})
    return JSONResponse(receipt.as_json(), headers={
        **NO_STORE,
        "Content-Disposition": f'attachment; filename="{found.tracking_code}-proof.json"'})
