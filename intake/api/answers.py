"""How the API answers: its language (Accept-Language: vi, else English) and its errors,
`[{"code": 400, "description": "<field>: <message>"}]`, one per field."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from intake.api.fields import API_NAME
from intake.context import app_context
from workflows.i18n.messages import Errors
from workflows.i18n.translations import Translator


def language(request: Request) -> str:
    return "vi" if request.headers.get("accept-language", "").lower().startswith("vi") else "en"


def words(request: Request) -> Translator:
    return app_context(request).reference.translator(language(request))


def error_response(request: Request, status: int, errors: Errors,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    said = words(request)
    return JSONResponse(
        [{"code": status, "description": f"{API_NAME.get(field, field)}: {said.problem(problem)}"}
         for field, problem in errors.items()],
        status_code=status, headers=headers)
