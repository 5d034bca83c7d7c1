"""The yardstick for intake throughput: a bare Starlette endpoint that parses the same multipart
request as Intake (every field, every file read to the end) and answers 201, nothing more.
Served by uvicorn exactly as `intake serve` is: `python -m uvicorn tests.bench.bare:app`."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def parse_and_accept(request: Request) -> Response:
    async with request.form(max_files=10, max_fields=100) as form:
        received = 0
        for value in form.values():
            received += len(await value.read()) if isinstance(value, UploadFile) else len(value)
    return JSONResponse({"received": received}, status_code=201)


app = Starlette(routes=[Route("/{path:path}", parse_and_accept, methods=["POST"])])
