"""Which cases a staff member may see. Every staff page and download asks here, on the server.

Officers triage, so they see every case; leads and inspectors see their agency's cases only;
admins and analysts see no case (analysts work on statistics without personal data).
"""

from __future__ import annotations

from tortoise.queryset import QuerySet

from workflows.models import Case, StaffUser

CASE_ROLES = frozenset({"officer", "lead", "inspector"})


def may_work_cases(user: StaffUser) -> bool:
    return user.role in CASE_ROLES


def visible_cases(user: StaffUser) -> QuerySet[Case]:
    if user.role == "officer":
        return Case.all()
    if user.role in ("lead", "inspector") and user.agency_code:
        return Case.filter(agency_code=user.agency_code)
    return Case.filter(id__in=[])


async def visible_case(user: StaffUser, tracking_code: str | None) -> Case | None:
    """The case if this user may see it; None both when it does not exist and when it is
    another agency's, so that a URL reveals nothing."""
    if not tracking_code or not may_work_cases(user):
        return None
    return await visible_cases(user).get_or_none(tracking_code=tracking_code)


async def assignable_staff(case: Case) -> list[StaffUser]:
    """Who a case can be assigned to: the active leads and inspectors of its agency."""
    if not case.agency_code:
        return []
    return await StaffUser.filter(agency_code=case.agency_code, active=True,
                                  role__in=["lead", "inspector"]).order_by("name", "email")
