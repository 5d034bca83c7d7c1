"""A case's audit trail as a person reads it: who did what, in their language, with names.

The audit events keep codes and machine text (they are evidence and must never change); this
turns each into a sentence — "Nguyễn Văn An assigned the case to Trần Thị Bình" — on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workflows.audit.models import AuditEvent
from workflows.i18n.formatting import format_date
from workflows.i18n.messages import N_
from workflows.i18n.translations import Labelled, Translator
from workflows.reference import catalog
from workflows.reference.routing import explain, parse_reason

# What each action did, as a sentence; {placeholders} come from the event (see _params).
ACTION_TEXT: dict[str, str] = {
    "created": N_("Report received ({channel})"),
    "triage": N_("Sent to {agency}"),
    "assign": N_("Assigned to {assignee}"),
    "start": N_("Work started"),
    "wait": N_("Asked the reporter and put on hold (the clock stops)"),
    "resume": N_("Work resumed (the clock runs again)"),
    "resolve": N_("Resolved: {outcome}"),
    "reject": N_("Rejected"),
    "close": N_("Closed"),
    "reopen": N_("Reopened"),
    "transfer": N_("Transferred to {agency}"),
    "refer_to_police": N_("Referred to {agency}: signs of a crime"),
    "extend": N_("Due date moved to {due}"),
    "mark_duplicate": N_("Joined to the case it repeats"),
    "add_support": N_("{agency} asked to support the case"),
    "support_assign": N_("{agency}: supporting task assigned to {assignee}"),
    "support_done": N_("{agency}: supporting task done"),
    "support_reopen": N_("{agency}: supporting task reopened"),
    "note_added": N_("Internal note added"),
    "public_reply": N_("Public reply sent to the reporter"),
    "public_question": N_("Question sent to the reporter"),
    "reporter_followup": N_("The reporter added information"),
    "feedback_given": N_("The reporter answered whether they are satisfied with the outcome"),
    "review_declined": N_("Review of the outcome declined"),
    "evidence_downloaded": N_("Evidence file downloaded"),
    "request_explanation": N_("A business was asked to explain, by {deadline}"),
    "request_explanation_and_wait": N_("A business was asked to explain, by {deadline}, and "
                                       "the case put on hold (the clock stops)"),
    "explanation_answered": N_("The business sent its explanation"),
    "explanation_published": N_("A summary of the business's explanation was published"),
    "supporting_report": N_("Another citizen reported the same goods and added to this case"),
    "explanation_withdrawn": N_("The request for an explanation was withdrawn"),
    "brand_owner_asked": N_("The verified owner of the brand was asked whether the goods are "
                            "genuine, by {opinion_due}"),
    "ask_brand_owner": N_("A brand owner was asked whether the goods are genuine, by "
                          "{opinion_due}"),
    "brand_opinion": N_("The brand owner gave its opinion: {verdict}"),
    "brand_inquiry_withdrawn": N_("The inquiry to a brand owner was withdrawn"),
    "photo_shared": N_("A photo of the goods was shown to the brand owners asked"),
    "photo_withheld": N_("A photo of the goods is no longer shown to the brand owners"),
    "sealed": N_("Sealed, being with {agency}: the public and outside parties learn nothing "
                 "more ({links} outside links closed, {followers} followers no longer mailed)"),
    "alert_undelivered": N_("The alert mail to the agency could not be delivered: phone the "
                            "agency"),
}
ACTORS: dict[str, str] = {
    "citizen": N_("The reporter"),
    "system": N_("Intake (automatically)"),
    "business": N_("The business asked to explain"),
    "brand_owner": N_("The brand owner"),
}
# Kept in the trail for auditors, left out of the case page's timeline: every page view.
HIDDEN = frozenset({"case_viewed"})
# The events whose reason is machine text rather than words a person wrote.
MACHINE_REASONS = frozenset({"routed", "alert_undelivered"})


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    who: str
    what: str
    note: str = ""  # the reason or text a person gave, as written
    detail: str = ""  # machine text from outside (a mail server's refusal), shown as a quote


def client_ids(events: Iterable[AuditEvent]) -> set[int]:
    """Every registered API client an event names as its actor."""
    return {int(event.actor_id) for event in events
            if event.actor_type == "client" and event.actor_id.isdigit()}


def staff_ids(events: Iterable[AuditEvent]) -> set[int]:
    """Every staff member an event names, as actor or assignee: their names are looked up once."""
    ids: set[int] = set()
    for event in events:
        if event.actor_type == "staff" and event.actor_id.isdigit():
            ids.add(int(event.actor_id))
        assignee = (event.after or {}).get("assignee_id") if isinstance(event.after, dict) else None
        if isinstance(assignee, int):
            ids.add(assignee)
    return ids


def _day(moment: object) -> str:
    return format_date(dt.datetime.fromisoformat(moment)) if isinstance(moment, str) else "—"


def _params(event: AuditEvent, words: Translator, agencies: list[Labelled],
            names: Mapping[int, str]) -> dict[str, Any]:
    after: dict[str, Any] = event.after if isinstance(event.after, dict) else {}
    assignee = after.get("assignee_id")
    return {
        "channel": words.label(catalog.INTAKE_CHANNELS, after.get("intake_channel")),
        "agency": words.label(agencies, after.get("agency_code") or after.get("agency")),
        "assignee": names.get(assignee, "—") if isinstance(assignee, int) else "—",
        "outcome": words.label(catalog.OUTCOMES, after.get("outcome")),
        "due": _day(after.get("due_at")),
        "deadline": _day(after.get("explanation_due")),
        "opinion_due": _day(after.get("opinion_due")),
        "verdict": words.label(catalog.VERDICTS, after.get("verdict")),
        "links": len(after.get("explanations_withdrawn") or ())
        + len(after.get("brand_inquiries_withdrawn") or ()),
        "followers": after.get("followers_held", 0),
    }


def _who(event: AuditEvent, words: Translator, names: Mapping[int, str],
         clients: Mapping[int, str]) -> str:
    if event.actor_type == "staff":
        return names.get(int(event.actor_id), "—") if event.actor_id.isdigit() else "—"
    if event.actor_type == "client":
        client = clients.get(int(event.actor_id)) if event.actor_id.isdigit() else None
        return words(N_("The reporter, through {client}"), {"client": client or "—"})
    if event.actor_type == "citizen" and event.actor_id == "open311":
        return words(N_("The reporter, through an app"))
    return words.gettext(ACTORS.get(event.actor_type, event.actor_type))


def describe(event: AuditEvent, words: Translator, agencies: Iterable[Labelled],
             names: Mapping[int, str], clients: Mapping[int, str]) -> HistoryLine:
    known = list(agencies)
    if event.action == "routed":
        decision = parse_reason(event.reason)
        what = explain(decision, words, known) if decision else event.reason
    else:
        text = ACTION_TEXT.get(event.action)
        what = words(text, _params(event, words, known, names)) if text else event.action
    machine = event.action in MACHINE_REASONS
    return HistoryLine(event.created_at, _who(event, words, names, clients), what,
                       note="" if machine else event.reason,
                       detail=event.reason if event.action == "alert_undelivered" else "")


def history(events: Iterable[AuditEvent], words: Translator, agencies: Iterable[Labelled],
            names: Mapping[int, str], clients: Mapping[int, str]) -> list[HistoryLine]:
    """`names`: staff members' by id; `clients`: registered API clients' by id."""
    known = list(agencies)
    return [describe(event, words, known, names, clients) for event in events
            if event.action not in HIDDEN]
