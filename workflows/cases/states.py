"""The case workflow, declared as data: which action moves a case from which states to which,
who may take it, what it needs (`workflows.cases.requirements`) and what else it changes
(`workflows.cases.effects`). `workflows.cases.transitions.take_action` is the only code that
applies it; the audit event and the mail an action causes come from one listener
(`workflows.cases.events`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.access.roles import INSPECTOR, LEAD, OFFICER
from workflows.cases import effects
from workflows.cases.effects import Effect
from workflows.i18n.messages import N_
from workflows.parties import asking, brand_asking

OPEN_STATES = frozenset({"received", "triaged", "assigned", "in_progress", "waiting"})
CLOSED_STATES = frozenset({"resolved", "rejected", "closed"})
# States in which a case's outcome stands and may be shown to its reporter.
SETTLED_STATES = frozenset({"resolved", "closed"})
# While a case waits (for the reporter, a business, a lab) its SLA clock stops.
PAUSED_STATE = effects.PAUSED_STATE


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (a transfer of the due date, a support)
    roles: frozenset[str]
    # What the form must give, by requirement name (workflows.cases.requirements).
    needs: tuple[str, ...]
    label: str  # a gettext id
    effect: Effect = effects.nothing_else
    # An inspector may take it only on a case assigned to them.
    assignee_only: bool = False
    # It asks someone outside (a business, a brand owner): never about a case with the police
    # (workflows.cases.sealing).
    asks_outside: bool = False


def _t(action: str, sources: set[str] | frozenset[str], target: str | None, roles: set[str],
       needs: tuple[str, ...], label: str, effect: Effect = effects.nothing_else,
       assignee_only: bool = False, asks_outside: bool = False) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), needs, label, effect,
                      assignee_only, asks_outside)


TRANSITIONS: tuple[Transition, ...] = (
    _t("triage", {"received"}, "triaged", {OFFICER}, ("agency",),
       N_("Triage to an agency"), effects.route_to_agency),
    _t("assign", {"received", "triaged", "assigned", "in_progress"}, "assigned",
       {OFFICER, LEAD}, ("assignee",), N_("Assign an inspector"), effects.assign),
    _t("start", {"assigned"}, "in_progress", {LEAD, INSPECTOR}, (),
       N_("Start work"), assignee_only=True),
    _t("wait", {"in_progress"}, PAUSED_STATE, {LEAD, INSPECTOR}, ("question",),
       N_("Ask the reporter and wait (pauses the clock)"), effects.ask_and_wait,
       assignee_only=True),
    _t("request_explanation", {"assigned", "in_progress", PAUSED_STATE}, None, {LEAD, INSPECTOR},
       ("explanation",), N_("Ask a business to explain"), asking.ask_business,
       assignee_only=True, asks_outside=True),
    _t("request_explanation_and_wait", {"in_progress"}, PAUSED_STATE, {LEAD, INSPECTOR},
       ("explanation",), N_("Ask a business to explain and wait (pauses the clock)"),
       asking.ask_business_and_wait, assignee_only=True, asks_outside=True),
    _t("ask_brand_owner", OPEN_STATES, None,
       {LEAD, INSPECTOR}, ("brand_owner",), N_("Ask a brand owner whether the goods are genuine"),
       brand_asking.ask_brand_owner, assignee_only=True, asks_outside=True),
    _t("resume", {PAUSED_STATE}, "in_progress", {LEAD, INSPECTOR}, (),
       N_("Resume work"), assignee_only=True),
    _t("resolve", {"in_progress", PAUSED_STATE}, "resolved", {LEAD, INSPECTOR}, ("outcome",),
       N_("Resolve"), effects.record_outcome, assignee_only=True),
    _t("reject", {"received", "triaged", "assigned"}, "rejected", {OFFICER, LEAD}, ("reason",),
       N_("Reject (spam, out of scope, duplicate)")),
    _t("close", {"resolved", "rejected"}, "closed", {OFFICER, LEAD}, (), N_("Close")),
    _t("reopen", {"resolved", "rejected", "closed"}, "in_progress", {OFFICER, LEAD}, ("reason",),
       N_("Reopen"), effects.reopen),
    _t("transfer", OPEN_STATES, "triaged", {OFFICER, LEAD}, ("agency", "reason"),
       N_("Transfer to another agency"), effects.transfer),
    _t("refer_to_police", OPEN_STATES, "triaged", {OFFICER, LEAD}, ("police", "reason"),
       N_("Refer to the police (signs of a crime)"), effects.transfer),
    _t("extend", OPEN_STATES, None, {OFFICER, LEAD}, ("due_date", "reason"),
       N_("Extend the due date"), effects.extend),
    _t("mark_duplicate", {"received", "triaged", "assigned"}, "rejected", {OFFICER},
       ("duplicate_of", "reason"), N_("Join to a duplicate case"), effects.join_duplicate),
    _t("add_support", OPEN_STATES, None, {OFFICER, LEAD}, ("support",),
       N_("Add a supporting agency"), effects.add_support),
)
BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def allowed_actions(status: str, role: str, sealed: bool = False) -> list[Transition]:
    """What this role may do to a case in this status (sealed: with the police): the only
    buttons the page shows."""
    return [t for t in TRANSITIONS if status in t.sources and role in t.roles
            and not (sealed and t.asks_outside)]


# A supporting agency's own task on a case (states in catalog.SUPPORT_STATUSES), with its own
# small workflow. Only the supporting agency's staff take these; `workflows.cases.supports`
# applies them.
SUPPORT_TRANSITIONS: tuple[Transition, ...] = (
    _t("support_assign", {"open"}, "open", {LEAD}, ("support_assignee",),
       N_("Assign an inspector to the task"), effects.assign_task),
    _t("support_done", {"open"}, "done", {LEAD, INSPECTOR}, ("report",),
       N_("Report the task done"), effects.task_done, assignee_only=True),
    _t("support_reopen", {"done"}, "open", {LEAD}, ("reason",), N_("Reopen the task"),
       effects.reopen_task),
)
SUPPORT_BY_ACTION = {transition.action: transition for transition in SUPPORT_TRANSITIONS}


def allowed_support_actions(status: str, role: str) -> list[Transition]:
    return [t for t in SUPPORT_TRANSITIONS if status in t.sources and role in t.roles]
