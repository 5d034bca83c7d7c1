"""A cap on the size of every request body, enforced while it streams in: a declared
Content-Length over the cap is refused before anything is read, and a chunked body (no
Content-Length) is cut off as soon as it passes the cap. Starlette has no such limit itself."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413, detail="Request body too large")


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
            await PlainTextResponse("Request body too large", status_code=413,
                                    headers={"Connection": "close"})(scope, receive, send)
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
