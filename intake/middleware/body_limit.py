"""A cap on the size of every request body, enforced while it streams in: a declared
Content-Length over the cap is refused before anything is read, and a chunked body (no
Content-Length) is cut off as soon as it passes the cap. Starlette has no such limit itself."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intake.api.formats import format_of_path, open311_response
from intake.context import app_context
from intake.formdata import too_large
from intake.middleware.language import pick_language, preferred_language

TOO_LARGE = "Request body too large"


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413, detail=TOO_LARGE)


def _refusal(scope: Scope) -> Response:
    """In the API's own format under /open311/ and its language (Accept-Language), plain text
    in the visitor's language elsewhere (before the body is read: no page can be rendered)."""
    request = Request(scope)
    headers = {"Connection": "close"}
    api = request.url.path.startswith("/open311/")
    language = preferred_language(request.headers.get("accept-language", "")) if api \
        else pick_language(request.cookies, request.query_params.get("lang"))
    context = app_context(request)
    said = context.reference.translator(language).problem(too_large(context.settings))
    if api:
        return open311_response(format_of_path(request.url.path), "errors",
                                [{"code": 413, "description": said}], 413, headers)
    return PlainTextResponse(said, status_code=413, headers=headers)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        # A length of more digits than any cap is over it (and int() of a huge string is slow).
        if declared.isdigit() and (len(declared) > 18 or int(declared) > self.max_bytes):
            await _refusal(scope)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()  # read_form turns it into a message on the form
            return message

        await self.app(scope, counting_receive, send)
