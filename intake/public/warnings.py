"""The agencies' product warnings, public: /warnings (a page), /warnings/{id}, and the feeds
/warnings.json and /warnings.atom that other sites and apps follow."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.context import app_context, translator
from intake.public.guides import picture
from intake.templating import render
from workflows.i18n.messages import N_
from workflows.warnings.feeds import as_json, atom_feed
from workflows.warnings.models import ProductWarning
from workflows.warnings.published import photo_of, public_warning, public_warnings

# Anyone may follow and re-use the feeds; a few minutes of caching spread a new warning fast.
FEED_HEADERS = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*",
                "Vary": "Cookie"}  # in the reader's language, which a cookie sets
# The pages too are in the reader's language: no shared cache may hand one to another reader.
PAGE_HEADERS = {"Cache-Control": "private, max-age=300"}
FEED_TITLE = N_("Product warnings")


def _url(request: Request, path: str) -> str:
    return app_context(request).settings.base_url.rstrip("/") + path


def _agency_name(request: Request) -> dict[str, str]:
    words = translator(request)
    return {code: words.label(app_context(request).reference.agencies.values(), code)
            for code in app_context(request).reference.agencies}


async def warnings_page(request: Request) -> Response:
    return render(request, "public/warnings.html",
                  {"warnings": await public_warnings(), "one": False}, headers=PAGE_HEADERS)


async def warning_page(request: Request) -> Response:
    warning = await public_warning(request.path_params["warning_id"])
    if warning is None:
        return render(request, "public/not_found.html", status_code=404)
    return render(request, "public/warnings.html", {"warnings": [warning], "one": True},
                  headers=PAGE_HEADERS)


async def warning_photo(request: Request) -> Response:
    """A photo of a published (or withdrawn) warning: what anyone may see."""
    warning = await public_warning(request.path_params["warning_id"])
    return picture(request, await photo_of(warning, request.path_params["photo_id"]),
                   public=True)


async def warnings_json(request: Request) -> Response:
    names = _agency_name(request)
    return JSONResponse([as_json(warning, _url(request, f"/warnings/{warning.id}"),
                                 names.get(warning.agency_code, warning.agency_code))
                         for warning in await public_warnings()], headers=FEED_HEADERS)


async def warnings_atom(request: Request) -> Response:
    words, names = translator(request), _agency_name(request)
    identity = app_context(request).reference.identity
    language = request.state.language

    def url_of(warning: ProductWarning) -> str:
        return _url(request, f"/warnings/{warning.id}")

    body = atom_feed(await public_warnings(), feed_url=_url(request, "/warnings.atom"),
                     page_url=_url(request, "/warnings"),
                     title=f"{words(FEED_TITLE)} · {identity.name(language)}",
                     author=identity.operator(language) or identity.name(language),
                     url_of=url_of, agency_name=lambda code: names.get(code, code), words=words,
                     now=dt.datetime.now(dt.UTC))
    return Response(body, media_type="application/atom+xml; charset=utf-8",
                    headers=FEED_HEADERS)
