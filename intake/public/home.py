"""The home page (what can be reported, which agency acts on what), who runs the service (its
emblem, its privacy notice) and the language switch."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from intake.context import app_context
from intake.middleware.language import LANGUAGE_COOKIE
from intake.templating import render
from workflows.i18n.translations import LANGUAGES


async def home(request: Request) -> Response:
    return render(request, "public/home.html")


async def switch_language(request: Request) -> Response:
    language = request.path_params["language"]
    target = request.query_params.get("next", "/")
    # Only paths on this site: never an open redirect.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, path="/",
                            samesite="lax", secure=app_context(request).settings.https)
    return response


async def emblem(request: Request) -> Response:
    """The emblem or logo config/service.toml names, shown in every page's header."""
    identity = app_context(request).reference.identity
    if identity.emblem is None:
        return Response(status_code=404)
    return FileResponse(identity.emblem, media_type=identity.emblem_type,
                        headers={"Cache-Control": "public, max-age=86400"})


async def privacy(request: Request) -> Response:
    return render(request, "public/privacy.html")
