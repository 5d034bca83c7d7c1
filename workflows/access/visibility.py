"""Which cases a staff member may see. Every staff page and download asks here, on the server.

Officers triage, so they see every case; leads and inspectors see the cases their agency leads
or supports; the steering committee sees every case's facts (its files only when granted the
reporters' personal data); admins and analysts see no case (analysts work on statistics
without personal data).
"""

from __future__ import annotations

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from workflows.access.models import StaffUser
from workflows.access.roles import (
    AGENCY_ROLES,
    COMMITTEE,
    OFFICER,
    READ_ROLES,
    handles,
    sees_personal_data,
)
from workflows.audit import security
from workflows.audit.log import Actor
from workflows.cases.models import Attachment, Case, CaseSupport


def may_read_cases(user: StaffUser) -> bool:
    return user.role in READ_ROLES


def _supported_by(agency_code: str) -> Subquery:
    """The ids of the cases the agency supports (another agency leads them)."""
    return Subquery(CaseSupport.filter(agency_code=agency_code).values("case_id"))


def visible_cases(user: StaffUser) -> QuerySet[Case]:
    if user.role in (OFFICER, COMMITTEE):
        return Case.all()
    if user.role in AGENCY_ROLES and user.agency_code:
        return Case.filter(Q(agency_code=user.agency_code)
                           | Q(id__in=_supported_by(user.agency_code)))
    return Case.filter(id__in=[])


def visible_parts(user: StaffUser) -> list[QuerySet[Case]]:
    """The same cases as visible_cases, as disjoint sets that an index counts on its own: an
    agency's own cases, and those it only supports (counting through the OR of both scans every
    case)."""
    if user.role in AGENCY_ROLES and user.agency_code:
        return [Case.filter(agency_code=user.agency_code),
                Case.filter(id__in=_supported_by(user.agency_code))
                .exclude(agency_code=user.agency_code)]
    return [visible_cases(user)]


async def visible_case(user: StaffUser, tracking_code: str | None) -> Case | None:
    """The case if this user may see it; None both when it does not exist and when it is
    another agency's, so that a URL reveals nothing."""
    if not tracking_code or not may_read_cases(user):
        return None
    return await visible_cases(user).get_or_none(tracking_code=tracking_code)


async def downloaded_attachment(user: StaffUser, tracking_code: str | None, attachment_id: int,
                                address: str, shown: bool = False) -> Attachment | None:
    """An evidence file of a case the user may see, its download (or, `shown`, its showing as
    a thumbnail: in the audit trail, not in the case's timeline) written to the audit trail;
    None otherwise, whatever the reason."""
    case = await visible_case(user, tracking_code) if sees_personal_data(user) else None
    found = await Attachment.get_or_none(id=attachment_id, case_id=case.id) if case else None
    if found is not None:
        await security.record(Actor("staff", str(user.id)), security.EVIDENCE_VIEWED if shown
                              else security.EVIDENCE_DOWNLOADED,
                              address=address, case=case, attachment=found.id,
                              sha256=found.stored_sha256)
    return found


async def viewed_case(user: StaffUser, tracking_code: str | None, address: str) -> Case | None:
    """The case if this user may see it, its reporter's personal data with it: the view is
    written to the audit trail."""
    case = await visible_case(user, tracking_code)
    if case is not None:
        await security.record(Actor("staff", str(user.id)), security.CASE_VIEWED,
                              address=address, case=case)
        if case.new_info_at is not None and handles(user, case) and (
                user.role != OFFICER or case.agency_code is None):
            # Seen by the agency that handles it (an officer speaks for a case in triage).
            await Case.filter(id=case.id).update(new_info_at=None)
            case.new_info_at = None
    return case


async def assignable_staff(agency_code: str | None) -> list[StaffUser]:
    """Who a case, or a supporting agency's task, can be assigned to: the agency's active leads
    and inspectors."""
    if not agency_code:
        return []
    return await StaffUser.filter(agency_code=agency_code, active=True,
                                  role__in=sorted(AGENCY_ROLES)).order_by("name", "email")
