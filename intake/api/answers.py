"""How the API answers: its language (Vietnamese unless Accept-Language prefers English: most
clients send none, FixMyStreet's among them, and their users are Vietnamese), its format (the
URL's `.json` or `.xml`), and its errors, `<errors><error><code/><description/></error>…` —
`[{"code": 400, "description": "<field>: <message>"}]` in JSON — one per field."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from intake.api.fields import API_NAME
from intake.api.formats import format_of_path, open311_response
from intake.context import app_context
from intake.middleware.language import preferred_language
from workflows.i18n.messages import Errors
from workflows.i18n.translations import Translator


def language(request: Request) -> str:
    return preferred_language(request.headers.get("accept-language", ""))


def words(request: Request) -> Translator:
    return app_context(request).reference.translator(language(request))


def format_of(request: Request) -> str:
    fmt = request.path_params.get("format")
    return fmt if isinstance(fmt, str) else format_of_path(request.url.path)


def answer(request: Request, root: str, payload: object, status_code: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    return open311_response(format_of(request), root, payload, status_code, headers)


def plain_error(request: Request, status: int, message: str,
                headers: dict[str, str] | None = None, **params: object) -> Response:
    """An error that names no field: a missing page, a wrong method, an outage; `message`
    (an N_ text, with its `params`) in the caller's language."""
    said = words(request).gettext(message)
    description = said.format(**params) if params else said
    return answer(request, "errors", [{"code": status, "description": description}], status,
                  headers)


def error_response(request: Request, status: int, errors: Errors,
                   headers: dict[str, str] | None = None,
                   sent_as: Mapping[str, str] | None = None) -> Response:
    """One error per field, under the name the client sent it by (`sent_as` where that was
    not the field's own parameter)."""
    said = words(request)
    names = {**API_NAME, **(sent_as or {})}
    return answer(request, "errors", [
        {"code": status, "description": f"{names.get(field, field)}: {said.problem(problem)}"}
        for field, problem in errors.items()], status, headers)

