"""The roles of the back office, and who may do what, by name. (Their labels are in
workflows.reference.catalog.ROLES.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workflows.access.models import StaffUser
    from workflows.cases.models import Case

ADMIN, OFFICER, LEAD, INSPECTOR, ANALYST = "admin", "officer", "lead", "inspector", "analyst"
# The steering committee 389: follows every case and the statistics, changes nothing.
COMMITTEE = "committee"
ROLES = (ADMIN, OFFICER, LEAD, INSPECTOR, ANALYST, COMMITTEE)
# Belong to one agency and see only its cases (and those it supports).
AGENCY_ROLES = frozenset({LEAD, INSPECTOR})
# Work on cases: officers triage every case; agencies' staff work their own.
CASE_ROLES = frozenset({OFFICER, LEAD, INSPECTOR})
# Read cases: those who work them, and the steering committee (its facts only, without the
# reporter's personal data unless an account is granted it: StaffUser.personal_data).
READ_ROLES = CASE_ROLES | {COMMITTEE}
# Read the statistics (a lead only their own agency's).
STATS_ROLES = frozenset({ADMIN, OFFICER, LEAD, ANALYST, COMMITTEE})
# File what came by phone, letter or in person.
FILING_ROLES = frozenset({OFFICER})


def handles(user: StaffUser, case: Case) -> bool:
    """The user speaks for the agency handling the case (an officer speaks for intake):
    they may act on it and reply to its reporter; a supporting agency may not."""
    return user.role == OFFICER or (user.role in AGENCY_ROLES
                                    and user.agency_code == case.agency_code)


def sees_personal_data(user: StaffUser) -> bool:
    """The reporter's name, contacts, description, files and additions, and internal notes."""
    return user.role in CASE_ROLES or (user.role == COMMITTEE and bool(user.personal_data))


def stats_scope(user: StaffUser, asked: str, known: frozenset[str]) -> tuple[bool, str | None]:
    """(allowed, agency) of the statistics a user asked for: a lead is held to their own
    agency; the others choose any one agency, or the whole province."""
    if user.role == LEAD:
        return asked in ("", user.agency_code), user.agency_code
    return (not asked or asked in known), (asked or None)
