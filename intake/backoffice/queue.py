"""A staff member's case queue (workflows.cases.queue), filtered by the query string."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.backoffice.auth import staff_only
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import READ_ROLES
from workflows.cases.queue import QueueFilters, queue_page


@staff_only(*READ_ROLES)
async def queue(request: Request, user: StaffUser) -> Response:
    filters = QueueFilters.from_query(dict(request.query_params))
    page = await queue_page(user, filters)
    return render(request, "staff/queue.html",
                  {"user": user, "filters": filters, "page": page,
                   "query": dict(request.query_params)}, headers={"Cache-Control": "no-store"})
