""""My notices": which mails about their own work a staff member receives."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.backoffice.auth import staff_only
from intake.context import app_context
from intake.formdata import EXPIRED_FORM, read_form
from intake.middleware.csrf import CSRF_FIELD, csrf_valid
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.preferences import set_muted_notices
from workflows.access.roles import CASE_ROLES
from workflows.i18n.messages import Problem
from workflows.mail.staff_notices import NOTICES_OF_ROLE, STAFF_NOTICES


def _page(request: Request, user: StaffUser, saved: bool = False,
          problem: Problem | None = None, status: int = 200) -> Response:
    mine = NOTICES_OF_ROLE.get(user.role, frozenset())
    return render(request, "staff/notices.html", {
        "user": user, "notices": [term for term in STAFF_NOTICES if term.code in mine],
        "muted": set(user.muted_notices or []),
        "saved": saved, "problem": problem}, status_code=status)


@staff_only(*CASE_ROLES)
async def notices_page(request: Request, user: StaffUser) -> Response:
    return _page(request, user)


@staff_only(*CASE_ROLES)
async def save_notices(request: Request, user: StaffUser) -> Response:
    settings = app_context(request).settings
    form = await read_form(request, settings)
    if isinstance(form, Problem):
        return _page(request, user, problem=form, status=400)
    if not csrf_valid(request, settings.secret_key, str(form.get(CSRF_FIELD) or "")):
        return _page(request, user, problem=Problem(EXPIRED_FORM), status=400)
    wanted = {value for value in form.getlist("receive") if isinstance(value, str)}
    await set_muted_notices(user, NOTICES_OF_ROLE.get(user.role, frozenset()) - wanted)
    return _page(request, user, saved=True)
