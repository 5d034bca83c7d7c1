"""A cap on the size of every request body, enforced while it streams in: a declared
Content-Length over the cap is refused before anything is read, and a chunked body (no
Content-Length) is cut off as soon as it passes the cap. Starlette has no such limit itself."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intake.api.formats import format_of_path, open311_response

TOO_LARGE = "Request body too large"


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413, detail=TOO_LARGE)


def _refusal(path: str) -> Response:
    """In the API's own format under /open311/, plain text elsewhere."""
    headers = {"Connection": "close"}
    if path.startswith("/open311/"):
        return open311_response(format_of_path(path), "errors",
                                [{"code": 413, "description": TOO_LARGE}], 413, headers)
    return PlainTextResponse(TOO_LARGE, status_code=413, headers=headers)


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
            await _refusal(scope["path"])(scope, receive, send)
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
