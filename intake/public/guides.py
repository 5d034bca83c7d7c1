"""How to tell a genuine product, as verified brand owners publish it: a page of every guide,
the page a scanned or typed code opens (/check),
the guides of the brand a citizen names on the report form (a fragment the form's script
shows; without JavaScript the form links to the page), and their photos, shown inline as
the pictures they were checked to be."""

from __future__ import annotations

from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from intake.context import app_context
from intake.templating import render
from workflows.cases.text import clean_text
from workflows.i18n.messages import Problem
from workflows.parties.genuine_guides import guides_for_brand, published_guides, shown_photo
from workflows.parties.product_check import MAX_CODE_CHARS, check_product, read_code
from workflows.warnings.published import standing_warnings, warnings_about

# Checked pictures, shown in the page: never sniffed as anything else, never run.
PHOTO_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Content-Disposition": "inline",
}
MAX_BRAND_CHARS = 200


async def genuine_page(request: Request) -> Response:
    return render(request, "public/genuine.html", {"guides": await published_guides(),
                                                   "warnings": await standing_warnings()})


async def about_brand(typed: str, barcode: str = "") -> dict[str, list[Any]]:
    """What the report form shows beside the brand (and barcode) typed: the agencies' standing
    warnings about it and its owner's guides to telling the genuine product."""
    typed = typed[:MAX_BRAND_CHARS]
    code = clean_text(barcode[:MAX_CODE_CHARS])
    return {"brand_guides": await guides_for_brand(typed) if typed.strip() else [],
            "brand_warnings": await warnings_about(code if isinstance(code, str) else "",
                                                   typed)}


async def brand_guides(request: Request) -> Response:
    """What is known of the brand typed on the form, as a fragment (empty when nothing)."""
    found = await about_brand(request.query_params.get("brand", ""),
                              request.query_params.get("barcode", ""))
    # In the reader's language (a cookie): a shared cache must not hand it to another reader.
    return render(request, "public/_brand_guides_panel.html",
                  {"guides": found["brand_guides"], "warnings": found["brand_warnings"]},
                  headers={"Cache-Control": "private, max-age=300"})


class Picture(Protocol):
    """A stored, checked picture: a guide's, a warning's, a case's shown to an owner."""

    storage_name: str
    content_type: str


def picture(request: Request, photo: Picture | None, *, public: bool) -> Response:
    """A checked picture shown in a page (404 when there is none to show): cached by anyone
    when it is public, by no one when it is not."""
    if photo is None:
        return render(request, "public/not_found.html", status_code=404)
    cache = "public, max-age=300" if public else "private, no-store"
    return StreamingResponse(app_context(request).store.chunks(photo.storage_name),
                             media_type=photo.content_type,
                             headers={**PHOTO_HEADERS, "Cache-Control": cache})


async def guide_photo(request: Request) -> Response:
    return picture(request, await shown_photo(request.path_params["guide_id"],
                                              request.path_params["photo_id"]), public=True)


async def check_page(request: Request) -> Response:
    """/check?code=…: what the province can say about a product from its barcode or stamp."""
    typed = request.query_params.get("code")
    if typed is None:
        return render(request, "public/check.html", {"typed": "", "error": None, "found": None})
    code = read_code(typed)
    if isinstance(code, Problem):
        return render(request, "public/check.html",
                      {"typed": typed[:MAX_CODE_CHARS], "error": code, "found": None},
                      status_code=400)
    return render(request, "public/check.html",
                  {"typed": code, "error": None, "found": await check_product(code)},
                  headers={"Cache-Control": "private, max-age=300"})
