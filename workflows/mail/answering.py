"""Who answers a mail sent outside the agencies: its From names the agency handling the case
(the address stays the service's, which the mail relay accepts), and its Reply-To is that
agency's mailbox, so a citizen, a business or a brand owner who presses "Reply" reaches a
person there. A case with no agency yet, or with the police (sealed: nothing may name them),
is answered by the body that runs the service, at its own mailbox."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.cases.models import Case
from workflows.cases.sealing import COMPETENT_AUTHORITY, agency_shown
from workflows.reference.loading import ReferenceData


@dataclass(frozen=True)
class Answerer:
    name: str  # the From's display name
    address: str  # the Reply-To


def service_answers(reference: ReferenceData) -> Answerer:
    identity = reference.identity
    return Answerer(identity.operator_vi or identity.name_vi, identity.email)


def answerer(reference: ReferenceData, case: Case | None = None,
             agency_code: str = "") -> Answerer:
    """The case's agency as an outsider is told it (or the one named), else the service."""
    agency = reference.agencies.get(agency_code) if agency_code else (
        agency_shown(case, reference.agencies) if case is not None else None)
    if agency is None or agency is COMPETENT_AUTHORITY or agency.criminal_referrals:
        return service_answers(reference)
    return Answerer(agency.name_vi, agency.email)
