"""Which emails an event causes, and to whom. Called inside the event's transaction, so the
message is queued if and only if the change is stored. Delivery happens later (outbox)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.models import AuditEvent
from workflows.cases.flags import case_flags
from workflows.cases.models import Case, CaseSupport
from workflows.mail.outbox import enqueue
from workflows.mail.rendering import MailRenderer
from workflows.reference.agencies import Agency
from workflows.reference.loading import ReferenceData

# Agencies work in Vietnamese; citizens get the language they used.
AGENCY_LANGUAGE = "vi"


@dataclass(frozen=True)
class Notifier:
    base_url: str
    reference: ReferenceData
    renderer: MailRenderer = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "renderer", MailRenderer(self.reference))

    @property
    def agencies(self) -> dict[str, Agency]:
        return self.reference.agencies

    def _links(self, case: Case) -> dict[str, str]:
        return {
            "case_url": f"{self.base_url}/staff/cases/{case.tracking_code}",
            "track_url": f"{self.base_url}/track?code={case.tracking_code}",
        }

    async def case_routed(self, connection: BaseDBAsyncClient, case: Case,
                          routed: AuditEvent) -> None:
        """Alert the agency's mailbox. No reporter contact details go into the alert."""
        agency = self.agencies.get(case.agency_code or "")
        if agency is None:
            return  # the triage queue: officers see it in the back office
        context: dict[str, Any] = {
            "case": case, "agency": agency, "flags": case_flags(case), **self._links(case)}
        await enqueue(
            connection, event_key=f"audit:{routed.seq}:agency_alert", kind="agency_alert",
            recipient=agency.email, case=case,
            mail=self.renderer.render("agency_alert", AGENCY_LANGUAGE, context))

    async def support_requested(self, connection: BaseDBAsyncClient, case: Case,
                                support: CaseSupport, added: AuditEvent) -> None:
        """Alert the supporting agency's mailbox to its task on another agency's case."""
        agency = self.agencies.get(support.agency_code)
        if agency is None:
            return
        context: dict[str, Any] = {
            "case": case, "agency": agency, "support": support,
            "lead_agency": self.agencies.get(case.agency_code or ""), **self._links(case)}
        await enqueue(
            connection, event_key=f"audit:{added.seq}:support_request", kind="support_request",
            recipient=agency.email, case=case,
            mail=self.renderer.render("support_request", AGENCY_LANGUAGE, context))

    async def case_filed(self, connection: BaseDBAsyncClient, case: Case,
                         created: AuditEvent) -> None:
        """Acknowledge to a citizen who left an email address and agreed to be contacted."""
        if not (case.reporter_email and case.consent):
            return
        agency = self.agencies.get(case.agency_code or "")
        await enqueue(
            connection, event_key=f"audit:{created.seq}:citizen_ack", kind="citizen_ack",
            recipient=case.reporter_email, case=case,
            mail=self.renderer.render("citizen_ack", case.language,
                                      {"case": case, "agency": agency, **self._links(case)}))

    async def case_resolved(self, connection: BaseDBAsyncClient, case: Case,
                            resolved: AuditEvent, public_outcome: str) -> None:
        """Tell the citizen the public outcome. Called by the transition that resolves a case."""
        if not (case.reporter_email and case.consent):
            return
        agency = self.agencies.get(case.agency_code or "")
        await enqueue(
            # One resolution may notify several reporters: those of its joined duplicates too.
            connection, event_key=f"audit:{resolved.seq}:resolution_notice:{case.tracking_code}",
            kind="resolution_notice", recipient=case.reporter_email, case=case,
            mail=self.renderer.render(
                "resolution_notice", case.language,
                {"case": case, "agency": agency, "outcome": public_outcome, **self._links(case)}))

    async def public_reply(self, connection: BaseDBAsyncClient, case: Case,
                           replied: AuditEvent, body: str) -> None:
        """Mail the agency's public reply to a reporter who left an address and consented."""
        if not (case.reporter_email and case.consent):
            return
        agency = self.agencies.get(case.agency_code or "")
        await enqueue(
            connection, event_key=f"audit:{replied.seq}:reply_notice", kind="reply_notice",
            recipient=case.reporter_email, case=case,
            mail=self.renderer.render(
                "reply_notice", case.language,
                {"case": case, "agency": agency, "reply": body, **self._links(case)}))

    async def overdue_digest(self, connection: BaseDBAsyncClient, agency: Agency, recipient: str,
                             overdue: list[Case], day: dt.date, now: dt.datetime) -> None:
        """One digest per agency, day and recipient: the event key makes a second impossible."""
        await enqueue(
            connection, event_key=digest_key(agency.code, day, recipient), kind="overdue_digest",
            recipient=recipient,
            mail=self.renderer.render(
                "overdue_digest", AGENCY_LANGUAGE,
                {"agency": agency, "cases": overdue, "day": day, "now": now,
                 "base_url": self.base_url}))


def digest_key(agency_code: str, day: dt.date, recipient: str) -> str:
    return f"digest:{agency_code}:{day.isoformat()}:{recipient}"
