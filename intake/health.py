"""`GET /healthz`: the process answers and the database does too."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workflows.db.config import database_problem


async def healthz(request: Request) -> Response:
    if problem := await database_problem():
        return JSONResponse({"status": "error", "database": problem}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
