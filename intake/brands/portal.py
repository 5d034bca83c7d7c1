"""A signed-in brand owner's own pages: the cases it was asked about (each opening the page
for its opinion while the link still works), its choice to be asked automatically, and its
guides to the genuine product — written, illustrated, published or withdrawn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.brands.sign_in import NO_STORE, signed_in_owner
from intake.context import app_context
from intake.errors import refused_answer
from intake.formdata import EXPIRED_FORM, checked_fields, read_form, text_fields, uploaded_files
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.public.guides import picture
from intake.requester import client_address
from intake.templating import render
from workflows.cases.filing import FILES_FIELD
from workflows.cases.filing_refusals import FilingRefused
from workflows.i18n.messages import Errors, Problem
from workflows.parties.brand_inquiries import owner_inquiries
from workflows.parties.brand_owners import choose_asking, claims_of
from workflows.parties.genuine_guides import (
    MAX_PHOTOS,
    GuideNotFound,
    own_photo,
    owner_guide,
    owner_guides,
    remove_photo,
    save_guide,
)
from workflows.parties.models import BrandOwner, GenuineGuide

Page = Callable[[Request, BrandOwner], Awaitable[Response]]


def owner_only(page: Page) -> Callable[[Request], Awaitable[Response]]:
    """The page for a signed-in, verified owner; the sign-in page for anyone else."""
    async def guarded(request: Request) -> Response:
        owner = await signed_in_owner(request)
        if owner is None:
            return RedirectResponse("/brands", status_code=303)
        return await page(request, owner)
    return guarded


@owner_only
async def portal(request: Request, owner: BrandOwner) -> Response:
    return render(request, "brands/portal.html", {
        "owner": owner, "claims": await claims_of(owner),
        "inquiries": await owner_inquiries(owner.id), "guides": await owner_guides(owner),
        "links": app_context(request).outbox_sender.notifier.links,
        "saved": request.query_params.get("saved") == "1"}, headers=NO_STORE)


@owner_only
async def save_preferences(request: Request, owner: BrandOwner) -> Response:
    values = await checked_fields(request, app_context(request).settings)
    if isinstance(values, Problem):
        return RedirectResponse("/brands/portal", status_code=303)
    await choose_asking(owner, values.get("ask") == "1")
    return RedirectResponse("/brands/portal?saved=1", status_code=303)


async def _guide_page(request: Request, owner: BrandOwner, guide: GenuineGuide | None,
                      values: dict[str, str], errors: Errors, status: int = 200) -> Response:
    settings = app_context(request).settings
    brands = [claim.value for claim in await claims_of(owner) if claim.kind == "brand"]
    return render(request, "brands/guide_form.html", {
        "owner": owner, "guide": guide, "brands": brands, "values": values, "errors": errors,
        "files_field": FILES_FIELD, "max_files": min(settings.max_attachments, MAX_PHOTOS),
        "max_megabytes": settings.max_attachment_bytes // (1024 * 1024)},
        status_code=status, headers=NO_STORE)


def _guide_values(guide: GenuineGuide) -> dict[str, str]:
    return {"brand": guide.brand, "title": guide.title, "body": guide.body,
            "published": "1" if guide.published else ""}


@owner_only
async def new_guide(request: Request, owner: BrandOwner) -> Response:
    if request.method == "GET":
        return await _guide_page(request, owner, None, {}, {})
    return await _save(request, owner, None)


@owner_only
async def edit_guide(request: Request, owner: BrandOwner) -> Response:
    try:
        guide = await owner_guide(owner, request.path_params["guide_id"])
    except GuideNotFound:
        return render(request, "public/not_found.html", status_code=404)
    if request.method == "GET":
        return await _guide_page(request, owner, guide, _guide_values(guide), {})
    return await _save(request, owner, guide)


async def _save(request: Request, owner: BrandOwner, guide: GenuineGuide | None) -> Response:
    context = app_context(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return await _guide_page(request, owner, guide, {}, {"form": form}, 400)
    values, uploads = text_fields(form), uploaded_files(form, FILES_FIELD)
    if not csrf_valid(request, context.settings.secret_key, values.get(CSRF_FIELD)):
        return await _guide_page(request, owner, guide, values, {"form": Problem(EXPIRED_FORM)},
                                 400)
    try:
        saved = await save_guide(context.filing, owner, guide.id if guide else None, values,
                                 uploads, context.allowances.followup, client_address(request))
    except FilingRefused as refused:
        status, headers = refused_answer(refused)
        response = await _guide_page(request, owner, guide, values, refused.errors, status)
        response.headers.update(headers)
        return response
    return RedirectResponse(f"/brands/portal/guides/{saved.id}?saved=1", status_code=303)


@owner_only
async def drop_photo(request: Request, owner: BrandOwner) -> Response:
    guide_id, photo_id = request.path_params["guide_id"], request.path_params["photo_id"]
    values = await checked_fields(request, app_context(request).settings)
    if not isinstance(values, Problem):
        await remove_photo(owner, guide_id, photo_id)
    return RedirectResponse(f"/brands/portal/guides/{guide_id}", status_code=303)


@owner_only
async def guide_photo(request: Request, owner: BrandOwner) -> Response:
    """The owner's own photo, published or not (the public one is at /genuine)."""
    return picture(request, await own_photo(owner, request.path_params["guide_id"],
                                            request.path_params["photo_id"]), public=False)
