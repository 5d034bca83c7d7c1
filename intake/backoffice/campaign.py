"""The campaign's feedback in the back office: what citizens sent the steering committee that
is not a complaint, newest first. Contact details only for staff who may see personal data."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from intake.backoffice.auth import staff_only
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import COMMITTEE, OFFICER, sees_personal_data
from workflows.campaign.feedback import latest


@staff_only(COMMITTEE, OFFICER)
async def campaign_page(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/campaign.html", {
        "user": user, "sent": await latest(), "personal": sees_personal_data(user)},
        headers={"Cache-Control": "no-store"})
