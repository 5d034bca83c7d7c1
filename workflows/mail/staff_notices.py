"""Mail that tells staff about their own work: a case assigned to them, the reporter adding
something to a case of theirs, a case transferred to their agency, a supporting task for their
agency or for them. Each is a link to the case, queued in the transaction of the event, never
to the person who caused it, and a person may turn each kind off (`muted_notices`). Mail to an
agency's mailbox (when nobody is assigned) cannot be turned off."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.access.models import StaffUser
from workflows.access.roles import AGENCY_ROLES, LEAD, OFFICER
from workflows.audit.models import AuditEvent
from workflows.cases.events import CaseEvent
from workflows.cases.models import Case
from workflows.i18n.messages import N_
from workflows.mail.outbox import enqueue
from workflows.reference.catalog import Term

if TYPE_CHECKING:
    from workflows.mail.notifications import Notifier

STAFF_LANGUAGE = "vi"
# The kinds a person may turn off, with what the preference says.
STAFF_NOTICES: tuple[Term, ...] = (
    Term("assignment_notice", N_("A case is assigned to me")),
    Term("addition_notice", N_("The reporter adds information to a case assigned to me")),
    Term("transfer_notice", N_("A case is transferred to my agency (leads)")),
    Term("task_notice", N_("My agency is asked to support a case (leads), or a supporting task "
                           "is assigned to me")),
    Term("review_notice", N_("A reporter asks my agency to review an outcome (leads)")),
    Term("explanation_notice", N_("A business answers a request for an explanation on a case "
                                  "assigned to me")),
    Term("brand_opinion_notice", N_("A brand owner gives its opinion on the goods of a case "
                                    "assigned to me")),
)
STAFF_NOTICE_KINDS = frozenset(term.code for term in STAFF_NOTICES)
# What each role can receive (an inspector is never sent a lead's notices).
NOTICES_OF_ROLE = {
    LEAD: STAFF_NOTICE_KINDS,
    "inspector": frozenset({"assignment_notice", "addition_notice", "task_notice",
                            "explanation_notice", "brand_opinion_notice"}),
    OFFICER: frozenset({"review_notice"}),
}
HEADLINES = {
    "assignment_notice": N_("Case {code} is assigned to you."),
    "addition_notice": N_("The reporter added information to case {code}."),
    "resumed_notice": N_("The reporter answered the question on case {code}: it is back in "
                         "progress and its clock runs again."),
    "supporter_notice": N_("Another citizen reported the same goods and added to case {code}."),
    "explanation_notice": N_("The business asked to explain has answered on case {code}."),
    "explanation_resumed_notice": N_("The business asked to explain has answered on case "
                                     "{code}: it is back in progress and its clock runs again."),
    "brand_opinion_notice": N_("A brand owner gave its opinion on the goods of case {code}."),
    "transfer_notice": N_("Case {code} was transferred to your agency."),
    "task_notice": N_("Your agency is asked to support case {code}."),
    "task_assigned_notice": N_("A supporting task on case {code} is assigned to you."),
    "review_notice": N_("The reporter of case {code} is not satisfied with the outcome and asks "
                        "for a review: grant it (the case reopens) or decline it with a reason."),
}


def mutes(person: StaffUser, kind: str) -> bool:
    return kind in (person.muted_notices or [])


async def _send(notifier: Notifier, connection: BaseDBAsyncClient, recorded: AuditEvent,
                case: Case, kind: str, headline: str, recipients: Iterable[str]) -> None:
    mail = notifier.renderer.render("staff_notice", STAFF_LANGUAGE, {
        "case": case, "headline": headline,
        "agency": notifier.agencies.get(case.agency_code or "")})
    for recipient in sorted(set(recipients)):
        await enqueue(connection, event_key=f"audit:{recorded.seq}:{kind}:{recipient}",
                      kind=kind, recipient=recipient, case=case, mail=mail)


def _actor_id(event: CaseEvent) -> int | None:
    return int(event.actor.id) if event.actor.kind == "staff" and event.actor.id.isdigit() else None


async def _people(connection: BaseDBAsyncClient, kind: str, event: CaseEvent,
                  **which: object) -> list[str]:
    """The active staff `which` names, but the one who acted and those who turned `kind` off."""
    found = await StaffUser.filter(active=True, **which).using_db(connection)
    return [person.email for person in found
            if person.id != _actor_id(event) and not mutes(person, kind)]


async def assignment_notice(notifier: Notifier, connection: BaseDBAsyncClient,
                            event: CaseEvent, recorded: AuditEvent) -> None:
    case = event.case
    assignee = getattr(case, "assignee_id", None)
    if case is None or assignee is None:
        return
    await _send(notifier, connection, recorded, case, "assignment_notice",
                HEADLINES["assignment_notice"],
                await _people(connection, "assignment_notice", event, id=assignee))


async def _to_assignee(notifier: Notifier, connection: BaseDBAsyncClient, event: CaseEvent,
                       recorded: AuditEvent, kind: str, headline: str) -> None:
    """To the assignee; to the agency's mailbox when nobody is assigned."""
    case = event.case
    if case is None:
        return
    assignee = getattr(case, "assignee_id", None)
    if assignee is not None:
        recipients = await _people(connection, kind, event, id=assignee)
    else:
        agency = notifier.agencies.get(case.agency_code or "")
        recipients = [agency.email] if agency else []
    await _send(notifier, connection, recorded, case, kind, headline, recipients)


async def addition_notice(notifier: Notifier, connection: BaseDBAsyncClient, event: CaseEvent,
                          recorded: AuditEvent) -> None:
    resumed = bool(event.facts.get("resumed"))
    await _to_assignee(notifier, connection, event, recorded, "addition_notice",
                       HEADLINES["resumed_notice" if resumed else "addition_notice"])


async def supporter_notice(notifier: Notifier, connection: BaseDBAsyncClient, event: CaseEvent,
                           recorded: AuditEvent) -> None:
    """"I saw this too": as the reporter's additions are (the same preference)."""
    await _to_assignee(notifier, connection, event, recorded, "addition_notice",
                       HEADLINES["supporter_notice"])


async def explanation_notice(notifier: Notifier, connection: BaseDBAsyncClient,
                             event: CaseEvent, recorded: AuditEvent) -> None:
    """The business's answer, to whoever works the case (the answer itself stays on the
    case page)."""
    resumed = bool(event.facts.get("resumed"))
    await _to_assignee(notifier, connection, event, recorded, "explanation_notice",
                       HEADLINES["explanation_resumed_notice" if resumed
                                 else "explanation_notice"])


async def brand_opinion_notice(notifier: Notifier, connection: BaseDBAsyncClient,
                               event: CaseEvent, recorded: AuditEvent) -> None:
    """A brand owner's opinion, to whoever works the case (the opinion is on the case
    page)."""
    await _to_assignee(notifier, connection, event, recorded, "brand_opinion_notice",
                       HEADLINES["brand_opinion_notice"])


async def transfer_notice(notifier: Notifier, connection: BaseDBAsyncClient, event: CaseEvent,
                          recorded: AuditEvent) -> None:
    """To the leads of the agency the case now goes to (its mailbox has the agency alert)."""
    case = event.case
    if case is None or not case.agency_code:
        return
    await _send(notifier, connection, recorded, case, "transfer_notice",
                HEADLINES["transfer_notice"], await _people(
                    connection, "transfer_notice", event, role=LEAD, agency_code=case.agency_code))


async def task_notice(notifier: Notifier, connection: BaseDBAsyncClient, event: CaseEvent,
                      recorded: AuditEvent) -> None:
    """A new supporting task: to the supporting agency's leads. A task assigned: to its
    inspector."""
    case, support = event.case, event.facts.get("support")
    if case is None:
        return
    if support is not None:
        recipients = await _people(connection, "task_notice", event, role=LEAD,
                                   agency_code=support.agency_code)
        headline = HEADLINES["task_notice"]
    else:
        assignee = (event.after or {}).get("assignee_id")
        recipients = await _people(connection, "task_notice", event, id=assignee,
                                   role__in=sorted(AGENCY_ROLES)) if assignee else []
        headline = HEADLINES["task_assigned_notice"]
    await _send(notifier, connection, recorded, case, "task_notice", headline, recipients)


async def review_notice(notifier: Notifier, connection: BaseDBAsyncClient, event: CaseEvent,
                        recorded: AuditEvent) -> None:
    """A review asked for: to the handling agency's leads — to its mailbox and the intake
    officers (who may decide it too) when it has no lead."""
    case = event.case
    if case is None or (event.after or {}).get("review") != "pending":
        return
    recipients = await _people(connection, "review_notice", event, role=LEAD,
                               agency_code=case.agency_code or "")
    agency = notifier.agencies.get(case.agency_code or "")
    if not recipients and not await StaffUser.filter(
            role=LEAD, agency_code=case.agency_code or "", active=True).using_db(
            connection).exists():
        recipients = [*([agency.email] if agency else []),
                      *await _people(connection, "review_notice", event, role=OFFICER)]
    await _send(notifier, connection, recorded, case, "review_notice",
                HEADLINES["review_notice"], recipients)
