"""A case's audit trail as a person reads it: who did what, in their language, with names.

The audit events keep codes and machine text (they are evidence and must never change); this
turns each into the sentence its declaration gives (`workflows.cases.states.EVENTS`) — "Nguyễn
Văn An assigned the case to Trần Thị Bình" — on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workflows.audit.models import AuditEvent
from workflows.cases.states import EVENTS
from workflows.i18n.formatting import format_date
from workflows.i18n.messages import N_
from workflows.i18n.translations import Labelled, Translator
from workflows.reference import catalog
from workflows.reference.routing import explain, parse_reason

# Why a case was sealed (workflows.cases.sealing), as the timeline says it.
SEALED_BECAUSE = {
    "handles": N_("the police handle it"),
    "supports": N_("the police support it"),
    "joined": N_("joined to a case with the police"),
}
ACTORS: dict[str, str] = {
    "citizen": N_("The reporter"),
    "system": N_("Intake (automatically)"),
    "business": N_("The business asked to explain"),
    "brand_owner": N_("The brand owner"),
}


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


def _routing(event: AuditEvent, words: Translator, agencies: list[Labelled]) -> str:
    """The routing decision its reason records, in words (a reason this version cannot read:
    as stored)."""
    if event.action != "routed":
        return ""
    decision = parse_reason(event.reason)
    return explain(decision, words, agencies) if decision else event.reason


def _params(event: AuditEvent, words: Translator, agencies: list[Labelled],
            names: Mapping[int, str]) -> dict[str, Any]:
    after: dict[str, Any] = event.after if isinstance(event.after, dict) else {}
    assignee = after.get("assignee_id")
    return {
        "routing": _routing(event, words, agencies),
        "channel": words.label(catalog.INTAKE_CHANNELS, after.get("intake_channel")),
        "agency": words.label(agencies, after.get("agency_code") or after.get("agency")),
        "assignee": names.get(assignee, "—") if isinstance(assignee, int) else "—",
        "outcome": words.label(catalog.OUTCOMES, after.get("outcome")),
        "due": _day(after.get("due_at")),
        "deadline": _day(after.get("explanation_due")),
        "opinion_due": _day(after.get("opinion_due")),
        "verdict": words.label(catalog.VERDICTS, after.get("verdict")),
        "why": words.gettext(SEALED_BECAUSE.get(after.get("why") or "handles", "")),
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
    declared = EVENTS.get(event.action)
    # An event this version no longer declares still shows, by its name: the trail is kept.
    what = (words(declared.history, _params(event, words, known, names))
            if declared and declared.history else event.action)
    machine = declared is not None and declared.machine_reason
    return HistoryLine(event.created_at, _who(event, words, names, clients), what,
                       note="" if machine else event.reason,
                       detail=event.reason if event.action == "alert_undelivered" else "")


def history(events: Iterable[AuditEvent], words: Translator, agencies: Iterable[Labelled],
            names: Mapping[int, str], clients: Mapping[int, str]) -> list[HistoryLine]:
    """`names`: staff members' by id; `clients`: registered API clients' by id."""
    known = list(agencies)
    return [describe(event, words, known, names, clients) for event in events
            if event.action not in EVENTS or EVENTS[event.action].in_timeline]
