"""Brand owners in the back office: the registrations an officer checks (the business, its
claims, its proof, which officers download), and the decision — verify, refuse, or withdraw a
verification — with the reason the owner is told."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from intake.backoffice.attachments import ATTACHMENT_HEADERS, download_name
from intake.backoffice.auth import staff_only
from intake.context import app_context
from intake.formdata import checked_fields
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import OFFICER
from workflows.cases.refusals import InvalidInput
from workflows.evidence.checks import EXTENSIONS, with_extension
from workflows.i18n.messages import N_, Errors, Problem
from workflows.parties.brand_owners import (
    ReviewRefused,
    claims_of,
    document,
    documents_of,
    registration,
    registrations,
    review,
    rival_claims,
    status_counts,
)
from workflows.parties.genuine_guides import owner_guides, take_down
from workflows.parties.models import BrandOwner
from workflows.reference.catalog import BRAND_OWNER_STATUSES, codes

STATUS_CODES = codes(BRAND_OWNER_STATUSES)
STALE = N_("Another officer decided on this registration meanwhile: see its status below.")


@staff_only(OFFICER)
async def brand_owners_page(request: Request, user: StaffUser) -> Response:
    status = request.query_params.get("status", "pending")
    status = status if status in STATUS_CODES else "pending"
    counts = await status_counts()
    return render(request, "staff/brand_owners.html", {
        "user": user, "owners": await registrations(status), "status": status,
        "counts": {code: counts.get(code, 0) for code in STATUS_CODES}})


async def _owner_page(request: Request, user: StaffUser, owner: BrandOwner,
                      values: dict[str, str], errors: Errors, status: int = 200) -> Response:
    return render(request, "staff/brand_owner.html", {
        "user": user, "owner": owner, "claims": await claims_of(owner),
        "documents": await documents_of(owner), "guides": await owner_guides(owner),
        "rivals": await rival_claims(owner),
        "values": values, "errors": errors}, status_code=status,
        headers={"Cache-Control": "no-store"})


@staff_only(OFFICER)
async def brand_owner_page(request: Request, user: StaffUser) -> Response:
    owner = await registration(request.path_params["owner_id"])
    if owner is None:
        return render(request, "public/not_found.html", status_code=404)
    if request.method == "GET":
        return await _owner_page(request, user, owner, {}, {})
    values = await checked_fields(request, app_context(request).settings)
    if isinstance(values, Problem):
        return await _owner_page(request, user, owner, {}, {"form": values}, 400)
    context = app_context(request)
    try:
        await review(context.outbox_sender.notifier, owner.id, values.get("decision", ""),
                     values.get("note", ""), user, dt.datetime.now(dt.UTC))
    except InvalidInput as invalid:
        return await _owner_page(request, user, owner, values, invalid.errors, 400)
    except ReviewRefused:
        owner = await registration(owner.id) or owner
        return await _owner_page(request, user, owner, {}, {"form": Problem(STALE)}, 409)
    context.events.committed()
    return RedirectResponse(f"/staff/brand-owners/{owner.id}", status_code=303)


@staff_only(OFFICER)
async def brand_owner_document(request: Request, user: StaffUser) -> Response:
    found = await document(request.path_params["owner_id"], request.path_params["document_id"])
    if found is None:
        return render(request, "public/not_found.html", status_code=404)
    return StreamingResponse(
        app_context(request).store.chunks(found.storage_name),
        media_type=found.content_type,
        headers={**ATTACHMENT_HEADERS, "Content-Disposition": download_name(with_extension(
            found.original_name, EXTENSIONS.get(found.content_type, "bin")))})


@staff_only(OFFICER)
async def take_guide_down(request: Request, user: StaffUser) -> Response:
    """A published guide off the public pages: wrong, misleading, or not about the brand."""
    owner_id = request.path_params["owner_id"]
    values = await checked_fields(request, app_context(request).settings)
    if not isinstance(values, Problem):
        await take_down(user, owner_id, request.path_params["guide_id"])
    return RedirectResponse(f"/staff/brand-owners/{owner_id}#guides", status_code=303)
