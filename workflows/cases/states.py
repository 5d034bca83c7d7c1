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
from workflows.cases.action_forms import FormField
from workflows.cases.actions import NOT_PUBLIC, OTHER_EVENTS, OUTCOME, SAID, Event, Told
from workflows.cases.effects import Effect
from workflows.cases.requirements import form_fields
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
    """One action of the workflow, declared once: how it moves a case, who takes it, what its
    form asks (its requirements' fields), what else it changes, and — as every event does —
    what the timeline says, what the public learns and the mail it sends."""

    action: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (a transfer of the due date, a support)
    roles: frozenset[str]
    # What the form must give, by requirement name (workflows.cases.requirements).
    needs: tuple[str, ...]
    label: str  # a gettext id: its button
    history: str  # a gettext id: its line in the timeline ({placeholders}: cases.history)
    told: Told | None  # what the public learns when it changes the status; NOT_PUBLIC: nothing
    notices: tuple[str, ...]  # the mail it sends (workflows.mail.notifications)
    effect: Effect = effects.nothing_else
    # An inspector may take it only on a case assigned to them.
    assignee_only: bool = False
    # It asks someone outside (a business, a brand owner): never about a case with the police
    # (workflows.cases.sealing).
    asks_outside: bool = False

    @property
    def to_police(self) -> bool:
        """It takes the case to the police (its `police` requirement picks the unit): not
        offered once they handle it."""
        return "police" in self.needs

    @property
    def event(self) -> Event:
        return Event(self.action, self.history, self.told, self.notices)

    @property
    def fields(self) -> tuple[FormField, ...]:
        """Its form's fields, as its requirements declare them."""
        return form_fields(self.needs)


# `_t` and `_declared` run once, as this module is imported: before any test can switch a
# mutant on, so mutation testing cannot reach them (`no mutate`). The table they build is
# what tests/workflows/cases/test_transitions.py checks, action by action and state by state.
def _t(action: str, sources: set[str] | frozenset[str], target: str | None, roles: set[str],
       needs: tuple[str, ...], label: str, *, history: str, told: Told | None,
       notices: tuple[str, ...], effect: Effect = effects.nothing_else,
       assignee_only: bool = False, asks_outside: bool = False) -> Transition:  # pragma: no mutate block
    return Transition(action, frozenset(sources), target, frozenset(roles), needs, label,
                      history, told, notices, effect, assignee_only, asks_outside)


PASSED_ON = N_("The report was passed to another agency, which is responsible for it.")
TRANSITIONS: tuple[Transition, ...] = (
    _t("triage", {"received"}, "triaged", {OFFICER}, ("agency",),
       N_("Triage to an agency"), effect=effects.route_to_agency,
       history=N_("Sent to {agency}"),
       told=Told(N_("The report was passed to the agency responsible.")),
       notices=("agency_alert",)),
    _t("assign", {"received", "triaged", "assigned", "in_progress"}, "assigned",
       {OFFICER, LEAD}, ("assignee",), N_("Assign an inspector"), effect=effects.assign,
       history=N_("Assigned to {assignee}"),
       told=Told(N_("An inspector was assigned to the report.")),
       notices=("assignment_notice",)),
    _t("start", {"assigned"}, "in_progress", {LEAD, INSPECTOR}, (),
       N_("Start work"), assignee_only=True, history=N_("Work started"),
       told=Told(N_("An inspector started work on the report.")), notices=()),
    _t("wait", {"in_progress"}, PAUSED_STATE, {LEAD, INSPECTOR}, ("question",),
       N_("Ask the reporter and wait (pauses the clock)"), effect=effects.ask_and_wait,
       assignee_only=True,
       history=N_("Asked the reporter and put on hold (the clock stops)"),
       told=Told(N_("The agency is waiting for more information."), SAID, always=True),
       notices=("question_notice",)),
    _t("request_explanation", {"assigned", "in_progress", PAUSED_STATE}, None, {LEAD, INSPECTOR},
       ("explanation",), N_("Ask a business to explain"), effect=asking.ask_business,
       assignee_only=True, asks_outside=True,
       history=N_("A business was asked to explain, by {deadline}"),
       told=Told(N_("The business concerned has been asked to explain."), always=True),
       notices=("explanation_request",)),
    _t("request_explanation_and_wait", {"in_progress"}, PAUSED_STATE, {LEAD, INSPECTOR},
       ("explanation",), N_("Ask a business to explain and wait (pauses the clock)"),
       effect=asking.ask_business_and_wait, assignee_only=True, asks_outside=True,
       history=N_("A business was asked to explain, by {deadline}, and the case put on hold "
                  "(the clock stops)"),
       told=Told(N_("The business concerned has been asked to explain; the agency is waiting "
                    "for its answer.")),
       notices=("explanation_request",)),
    _t("ask_brand_owner", OPEN_STATES, None,
       {LEAD, INSPECTOR}, ("brand_owner",), N_("Ask a brand owner whether the goods are genuine"),
       effect=brand_asking.ask_brand_owner, assignee_only=True, asks_outside=True,
       history=N_("A brand owner was asked whether the goods are genuine, by {opinion_due}"),
       told=NOT_PUBLIC, notices=("brand_inquiry",)),
    _t("resume", {PAUSED_STATE}, "in_progress", {LEAD, INSPECTOR}, (),
       N_("Resume work"), assignee_only=True,
       history=N_("Work resumed (the clock runs again)"),
       told=Told(N_("Work on the report resumed.")), notices=()),
    _t("resolve", {"in_progress", PAUSED_STATE}, "resolved", {LEAD, INSPECTOR}, ("outcome",),
       N_("Resolve"), effect=effects.record_outcome, assignee_only=True,
       history=N_("Resolved: {outcome}"),
       told=Told(N_("The agency has finished its work on the report."), OUTCOME),
       notices=("resolution_notices",)),
    _t("reject", {"received", "triaged", "assigned"}, "rejected", {OFFICER, LEAD}, ("reason",),
       N_("Reject (spam, out of scope, duplicate)"), history=N_("Rejected"),
       told=Told(N_("The report was closed without action (out of scope, or not a report).")),
       notices=()),
    _t("close", {"resolved", "rejected"}, "closed", {OFFICER, LEAD}, (), N_("Close"),
       history=N_("Closed"), told=Told(N_("The report was closed.")), notices=()),
    _t("reopen", {"resolved", "rejected", "closed"}, "in_progress", {OFFICER, LEAD}, ("reason",),
       N_("Reopen"), effect=effects.reopen, history=N_("Reopened"),
       # A reopening that grants the reporter's review says why (a public reason).
       told=Told(N_("The report was reopened."), SAID), notices=("review_decision",)),
    _t("transfer", OPEN_STATES, "triaged", {OFFICER, LEAD}, ("agency", "reason"),
       N_("Transfer to another agency"), effect=effects.transfer,
       history=N_("Transferred to {agency}"), told=Told(PASSED_ON),
       notices=("agency_alert", "transfer_notice")),
    # Never public: the case is sealed from then on (workflows.cases.sealing).
    _t("refer_to_police", OPEN_STATES, "triaged", {OFFICER, LEAD}, ("police", "reason"),
       N_("Refer to the police (signs of a crime)"), effect=effects.transfer,
       history=N_("Referred to {agency}: signs of a crime"), told=NOT_PUBLIC,
       notices=("agency_alert", "transfer_notice")),
    _t("extend", OPEN_STATES, None, {OFFICER, LEAD}, ("due_date", "reason"),
       N_("Extend the due date"), effect=effects.extend, history=N_("Due date moved to {due}"),
       told=NOT_PUBLIC, notices=()),
    _t("mark_duplicate", {"received", "triaged", "assigned"}, "rejected", {OFFICER},
       ("duplicate_of", "reason"), N_("Join to a duplicate case"),
       effect=effects.join_duplicate, history=N_("Joined to the case it repeats"),
       told=Told(N_("The report repeats an earlier one about the same goods; it is followed "
                    "there."), fms_status="duplicate"),
       notices=("duplicate_outcome",)),
    _t("add_support", OPEN_STATES, None, {OFFICER, LEAD}, ("support",),
       N_("Add a supporting agency"), effect=effects.add_support,
       history=N_("{agency} asked to support the case"), told=NOT_PUBLIC,
       notices=("support_request", "task_notice")),
)
BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def allowed_actions(status: str, role: str, sealed: bool = False,
                    at_police: bool = False) -> list[Transition]:
    """What this role may do to a case in this status (sealed: the police handle or support
    it; at_police: they handle it): the only buttons the page shows."""
    return [t for t in TRANSITIONS if status in t.sources and role in t.roles
            and not (sealed and t.asks_outside) and not (at_police and t.to_police)]


# A supporting agency's own task on a case (states in catalog.SUPPORT_STATUSES), with its own
# small workflow. Only the supporting agency's staff take these; `workflows.cases.supports`
# applies them.
SUPPORT_TRANSITIONS: tuple[Transition, ...] = (
    _t("support_assign", {"open"}, "open", {LEAD}, ("support_assignee",),
       N_("Assign an inspector to the task"), effect=effects.assign_task,
       history=N_("{agency}: supporting task assigned to {assignee}"), told=NOT_PUBLIC,
       notices=("task_notice",)),
    _t("support_done", {"open"}, "done", {LEAD, INSPECTOR}, ("report",),
       N_("Report the task done"), effect=effects.task_done, assignee_only=True,
       history=N_("{agency}: supporting task done"), told=NOT_PUBLIC, notices=()),
    _t("support_reopen", {"done"}, "open", {LEAD}, ("reason",), N_("Reopen the task"),
       effect=effects.reopen_task, history=N_("{agency}: supporting task reopened"),
       told=NOT_PUBLIC, notices=()),
)
SUPPORT_BY_ACTION = {transition.action: transition for transition in SUPPORT_TRANSITIONS}


# The case page's forms that are no transition, by their `action`, as their buttons say.
OTHER_LABELS = {
    "note": N_("Save note"), "message:reply": N_("Send reply"),
    "message:question": N_("Send as a question"), "publish": N_("Publish the summary"),
    "withdraw_explanation": N_("Withdraw the request (no longer needed)"),
    "withdraw_inquiry": N_("Withdraw the inquiry (no longer needed)"),
    "review:grant": N_("Grant: reopen the case"), "review:decline": N_("Decline, with the reason"),
    "share:1": N_("Show it to the brand owners"), "share:0": N_("Stop showing it"),
}


def action_label(action: str) -> str:
    """The button of a declared action ("" for anything else): what the page confirms."""
    found = next((transition for transition in (*TRANSITIONS, *SUPPORT_TRANSITIONS)
                  if transition.action == action), None)
    return found.label if found else OTHER_LABELS.get(action, "")


def allowed_support_actions(status: str, role: str) -> list[Transition]:
    return [t for t in SUPPORT_TRANSITIONS if status in t.sources and role in t.roles]


def _declared() -> dict[str, Event]:  # pragma: no mutate block
    """Every event, by name: the workflow's and the others'; each declared once."""
    found: dict[str, Event] = {}
    for event in (*(t.event for t in (*TRANSITIONS, *SUPPORT_TRANSITIONS)), *OTHER_EVENTS):
        if event.name in found:
            raise ValueError(f"the event {event.name!r} is declared twice")
        found[event.name] = event
    return found


EVENTS: dict[str, Event] = _declared()
