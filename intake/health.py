"""`GET /healthz`: the process answers and the database does too; and the audit log's event
numbers hold together. A gap or a counter set back is reported ("degraded") but still answers
200: taking the server out of service would stop every filing, which is what the check is there
to prevent."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workflows.audit.numbering import numbering_problem
from workflows.db.config import database_problem


async def healthz(request: Request) -> Response:
    if problem := await database_problem():
        return JSONResponse({"status": "error", "database": problem}, status_code=503)
    if audit_problem := await numbering_problem():
        return JSONResponse({"status": "degraded", "database": "ok", "audit_log": audit_problem})
    return JSONResponse({"status": "ok", "database": "ok"})
