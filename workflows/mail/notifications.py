"""Which mails an event causes, and to whom: the listener `CaseEvents` calls inside the event's
transaction, so a message is queued if and only if the change is stored. Delivery happens
later (the outbox). Which event causes which notice is said in the event's declaration
(`workflows.cases.states.EVENTS`); the notices themselves are here, by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.models import AuditEvent, LogCheckpoint
from workflows.audit.receipts import leaf_index
from workflows.cases.deadlines import late_explanations
from workflows.cases.events import CaseEvent
from workflows.cases.flags import case_flags
from workflows.cases.models import Case
from workflows.cases.states import EVENTS, SETTLED_STATES
from workflows.cases.updates import is_public_update, public_text
from workflows.mail import party_notices, reporter_messages, staff_notices
from workflows.mail.answering import answerer, service_answers
from workflows.mail.links import Links
from workflows.mail.outbox import enqueue
from workflows.mail.rendering import MailRenderer
from workflows.parties.models import BrandOwner, CaseFollower, SupportingReport
from workflows.reference.agencies import Agency
from workflows.reference.loading import ReferenceData

# Agencies work in Vietnamese; citizens get the language they used.
AGENCY_LANGUAGE = "vi"

Notice = Callable[["Notifier", BaseDBAsyncClient, CaseEvent, AuditEvent], Awaitable[None]]


class Notifier:
    """The mail listener: for each recorded event, the notices `NOTICES` names."""

    def __init__(self, links: Links, reference: ReferenceData) -> None:
        self.links = links
        self.reference = reference
        self.renderer = MailRenderer(reference, links)

    @property
    def agencies(self) -> dict[str, Agency]:
        return self.reference.agencies

    async def __call__(self, connection: BaseDBAsyncClient, event: CaseEvent,
                       recorded: AuditEvent) -> None:
        for notice in NOTICES.get(event.action, ()):
            await notice(self, connection, event, recorded)
        if is_public_update(event):
            await self.follower_updates(connection, event, recorded)

    async def follow_confirmation(self, connection: BaseDBAsyncClient, follower: CaseFollower,
                                  case: Case, now: dt.datetime) -> None:
        """The link that confirms following a case; the only mail before confirming."""
        await enqueue(connection, event_key=f"follow:{follower.id}:{now.isoformat()}",
                      kind="follow_confirmation", recipient=follower.email, case=case,
                      answered_by=answerer(self.reference, case), mail=self.renderer.render("follow_confirmation", follower.language, {
                          "case": case, "follower": follower}))

    async def follower_updates(self, connection: BaseDBAsyncClient, event: CaseEvent,
                               recorded: AuditEvent) -> None:
        """The public change, to everyone who confirmed following the case: its new status
        and public words, what /track shows, with a link to stop."""
        case = event.case
        assert case is not None
        told = EVENTS[event.action].told  # its sentence, when it brings no words of its own
        followers = await CaseFollower.filter(
            case_id=case.id, confirmed_at__isnull=False, unsubscribed_at__isnull=True).using_db(
            connection).order_by("id")
        for follower in followers:
            await enqueue(connection, event_key=f"audit:{recorded.seq}:follow:{follower.id}",
                          kind="follow_update", recipient=follower.email, case=case,
                          answered_by=answerer(self.reference, case), mail=self.renderer.render("follow_update", follower.language, {
                              "case": case, "follower": follower,
                              "said": public_text(event, case),
                              "sentence": told.sentence if told else ""}))

    async def _to_citizen(self, connection: BaseDBAsyncClient, case: Case, kind: str,
                          event_key: str, context: dict[str, Any]) -> None:
        await reporter_messages.to_reporter(self, connection, case, kind, event_key, context)

    async def agency_alert(self, connection: BaseDBAsyncClient, event: CaseEvent,
                           recorded: AuditEvent) -> None:
        """Alert the mailbox of the agency the case now goes to. No reporter contact details
        go into the alert."""
        case = event.case
        agency = self.agencies.get(case.agency_code or "") if case else None
        if case is None or agency is None:
            return  # the triage queue: officers see it in the back office
        await enqueue(connection, event_key=f"audit:{recorded.seq}:agency_alert",
                      kind="agency_alert", recipient=agency.email, case=case,
                      mail=self.renderer.render("agency_alert", AGENCY_LANGUAGE, {
                          "case": case, "agency": agency, "flags": case_flags(case)}))

    async def support_request(self, connection: BaseDBAsyncClient, event: CaseEvent,
                              recorded: AuditEvent) -> None:
        """Alert the supporting agency's mailbox to its task on another agency's case."""
        support, case = event.facts["support"], event.case
        agency = self.agencies.get(support.agency_code)
        if agency is None or case is None:
            return
        await enqueue(connection, event_key=f"audit:{recorded.seq}:support_request",
                      kind="support_request", recipient=agency.email, case=case,
                      mail=self.renderer.render("support_request", AGENCY_LANGUAGE, {
                          "case": case, "agency": agency, "support": support,
                          "lead_agency": self.agencies.get(case.agency_code or "")}))

    async def brand_owner_mail(self, connection: BaseDBAsyncClient, owner: BrandOwner, kind: str,
                               now: dt.datetime | None = None) -> None:
        """What a brand owner is told of its registration (received, verified, refused,
        withdrawn) and its sign-in links; each mail once."""
        now = now or dt.datetime.now(dt.UTC)
        await enqueue(connection, event_key=f"brand_owner:{owner.id}:{kind}:{now.isoformat()}",
                      kind=kind, recipient=owner.email,
                      answered_by=service_answers(self.reference), mail=self.renderer.render(kind, owner.language, {"owner": owner}))

    async def reporter_mail(self, connection: BaseDBAsyncClient, event: CaseEvent,
                            recorded: AuditEvent) -> None:
        """The mail named after the event (templates/email/<event>.*), to the case's reporter:
        what an action declares so, with no code of its own."""
        assert event.case is not None
        await self._to_citizen(connection, event.case, event.action,
                               f"audit:{recorded.seq}:{event.action}", _event_context(event))

    async def agency_mail(self, connection: BaseDBAsyncClient, event: CaseEvent,
                          recorded: AuditEvent) -> None:
        """The mail named after the event (templates/email/<event>.*), to the mailbox of the
        agency that has the case. No reporter contact details go into it."""
        case = event.case
        agency = self.agencies.get(case.agency_code or "") if case else None
        if case is None or agency is None:
            return
        await enqueue(connection, event_key=f"audit:{recorded.seq}:{event.action}",
                      kind=event.action, recipient=agency.email, case=case,
                      mail=self.renderer.render(event.action, AGENCY_LANGUAGE, {
                          "case": case, "agency": agency, **_event_context(event)}))

    async def citizen_ack(self, connection: BaseDBAsyncClient, event: CaseEvent,
                          recorded: AuditEvent) -> None:
        assert event.case is not None
        await self._to_citizen(connection, event.case, "citizen_ack",
                               f"audit:{recorded.seq}:citizen_ack",
                               {"leaf_index": leaf_index(recorded)})

    async def reply_notice(self, connection: BaseDBAsyncClient, event: CaseEvent,
                           recorded: AuditEvent) -> None:
        assert event.case is not None
        await self._to_citizen(connection, event.case, "reply_notice",
                               f"audit:{recorded.seq}:reply_notice", {"reply": event.facts["body"]})

    async def question_notice(self, connection: BaseDBAsyncClient, event: CaseEvent,
                              recorded: AuditEvent) -> None:
        """The agency's question (with or without pausing the case), in the reporter's
        language, with where to answer it."""
        assert event.case is not None
        await self._to_citizen(connection, event.case, "question_notice",
                               f"audit:{recorded.seq}:question_notice",
                               {"question": event.facts["body"]})

    async def review_decision(self, connection: BaseDBAsyncClient, event: CaseEvent,
                              recorded: AuditEvent) -> None:
        """The agency's answer to a request for a review: declined, or granted (the case
        reopened), with its reason, to the reporter."""
        assert event.case is not None
        granted = event.action == "reopen"
        if granted and not event.facts.get("body"):
            return  # an ordinary reopening: nothing the reporter asked for
        await self._to_citizen(connection, event.case, "review_decision",
                               f"audit:{recorded.seq}:review_decision",
                               {"reason": event.facts["body"], "granted": granted})

    async def resolution_notices(self, connection: BaseDBAsyncClient, event: CaseEvent,
                                 recorded: AuditEvent) -> None:
        """The public outcome to the reporter, and to the reporters of the duplicates joined
        to the case."""
        case = event.case
        assert case is not None
        duplicates = await Case.filter(duplicate_of_id=case.id).using_db(connection)
        for reporter_case in (case, *duplicates):
            await self._resolution(connection, reporter_case, recorded, case.public_outcome)
        supporters = await SupportingReport.filter(case_id=case.id, consent=True).exclude(
            reporter_email="").using_db(connection).order_by("id")
        for supporter in supporters:  # "I saw this too": the outcome, without feedback links
            await enqueue(
                connection, event_key=f"audit:{recorded.seq}:resolution_notice:support:"
                                      f"{supporter.id}",
                kind="resolution_notice", recipient=supporter.reporter_email, case=case,
                answered_by=service_answers(self.reference),
                # No agency named: for a case with the police, "the competent authority"
                # would tell them where it went, so none is named for any.
                mail=self.renderer.render("resolution_notice", supporter.language, {
                    "case": case, "agency": None,
                    "outcome": case.public_outcome, "asked": None}))

    async def duplicate_outcome(self, connection: BaseDBAsyncClient, event: CaseEvent,
                                recorded: AuditEvent) -> None:
        """A report joined to a case already settled gets that case's outcome at once."""
        case = event.case
        assert case is not None
        original = await Case.filter(
            id=case.duplicate_of_id).using_db(connection).get()  # type: ignore[attr-defined]
        if original.status in SETTLED_STATES:
            await self._resolution(connection, case, recorded, original.public_outcome)

    async def _resolution(self, connection: BaseDBAsyncClient, case: Case, recorded: AuditEvent,
                          outcome: str) -> None:
        # One resolution may notify several reporters: the key names each one's case. The
        # reporter of the resolved case itself is asked whether they are satisfied.
        asked = case.resolved_at if case.status in SETTLED_STATES else None
        await self._to_citizen(
            connection, case, "resolution_notice",
            f"audit:{recorded.seq}:resolution_notice:{case.tracking_code}",
            {"outcome": outcome, "asked": asked})

    async def overdue_digest(self, connection: BaseDBAsyncClient, agency: Agency, recipient: str,
                             overdue: list[Case], day: dt.date, now: dt.datetime) -> None:
        """One digest per agency, day and recipient: the event key makes a second impossible."""
        await enqueue(
            connection, event_key=digest_key(agency.code, day, recipient), kind="overdue_digest",
            recipient=recipient,
            mail=self.renderer.render("overdue_digest", AGENCY_LANGUAGE, {
                "agency": agency, "cases": overdue, "day": day, "now": now,
                "late_explanations": await late_explanations(
                    connection, [case.id for case in overdue], now)}))

    async def checkpoint_notice(self, connection: BaseDBAsyncClient, recipient: str,
                                checkpoint: LogCheckpoint, day: dt.date) -> None:
        """The day's signed checkpoint to one witness, at most once a day each."""
        await enqueue(
            connection, event_key=checkpoint_key(day, recipient), kind="checkpoint",
            recipient=recipient,
            mail=self.renderer.render("checkpoint", AGENCY_LANGUAGE,
                                      {"checkpoint": checkpoint, "day": day}))


def _event_context(event: CaseEvent) -> dict[str, Any]:
    """What a mail named after its event may say of it: the reason staff gave, what the
    audit event records after it, and what the change handed its listeners."""
    return {"reason": event.reason, "after": event.after if isinstance(event.after, dict) else {},
            "event_facts": event.facts}


# Every notice an event's declaration may name (workflows.cases.states.EVENTS), by that name.
NOTICE_FUNCTIONS: dict[str, Notice] = {
    "citizen_ack": Notifier.citizen_ack,
    "agency_alert": Notifier.agency_alert,
    "support_request": Notifier.support_request,
    "review_decision": Notifier.review_decision,
    "resolution_notices": Notifier.resolution_notices,
    "duplicate_outcome": Notifier.duplicate_outcome,
    "reply_notice": Notifier.reply_notice,
    "question_notice": Notifier.question_notice,
    "reporter_mail": Notifier.reporter_mail,
    "agency_mail": Notifier.agency_mail,
    "explanation_request": party_notices.explanation_request,
    "brand_inquiry": party_notices.brand_inquiry,
    "brand_photo_notice": party_notices.brand_photo_notice,
    "transfer_notice": staff_notices.transfer_notice,
    "assignment_notice": staff_notices.assignment_notice,
    "task_notice": staff_notices.task_notice,
    "addition_notice": staff_notices.addition_notice,
    "review_notice": staff_notices.review_notice,
    "explanation_notice": staff_notices.explanation_notice,
    "supporter_notice": staff_notices.supporter_notice,
    "brand_opinion_notice": staff_notices.brand_opinion_notice,
}


def _notices_of_events() -> dict[str, tuple[Notice, ...]]:
    """The mail of each event, as its declaration names it. Checked here, at import: an event
    naming a notice that does not exist stops the start."""
    unknown = sorted({name for event in EVENTS.values() for name in event.notices}
                     - NOTICE_FUNCTIONS.keys())
    if unknown:
        raise LookupError(f"events name notices that do not exist: {', '.join(unknown)}")
    return {event.name: tuple(NOTICE_FUNCTIONS[name] for name in event.notices)
            for event in EVENTS.values() if event.notices}


NOTICES: dict[str, tuple[Notice, ...]] = _notices_of_events()


def digest_key(agency_code: str, day: dt.date, recipient: str) -> str:
    return f"digest:{agency_code}:{day.isoformat()}:{recipient}"


def checkpoint_key(day: dt.date, recipient: str) -> str:
    return f"checkpoint:{day.isoformat()}:{recipient}"
