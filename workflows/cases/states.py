"""The case workflow, declared as data: which action moves a case from which states to which,
who may take it, and what it needs. `workflows.transitions` is the only code that applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.i18n.messages import N_

OPEN_STATES = frozenset({"received", "triaged", "assigned", "in_progress", "waiting"})
CLOSED_STATES = frozenset({"resolved", "rejected", "closed"})
# States in which a case's outcome stands and may be shown to its reporter.
SETTLED_STATES = frozenset({"resolved", "closed"})
OUTCOMES = ("violation_confirmed", "not_confirmed", "referred", "insufficient_information")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (a transfer or an extension)
    roles: frozenset[str]
    # reason, agency, assignee, outcome, due_date, duplicate_of, support (agency + task)
    needs: frozenset[str] = frozenset()
    label: str = ""  # a gettext id

    @property
    def code(self) -> str:
        return self.action


def _t(action: str, sources: set[str], target: str | None, roles: set[str], needs: set[str],
       label: str) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), frozenset(needs), label)


TRANSITIONS: tuple[Transition, ...] = (
    _t("triage", {"received"}, "triaged", {"officer"}, {"agency"},
       N_("Triage to an agency")),
    _t("assign", {"received", "triaged", "assigned", "in_progress"}, "assigned",
       {"officer", "lead"}, {"assignee"}, N_("Assign an inspector")),
    _t("start", {"assigned"}, "in_progress", {"lead", "inspector"}, set(),
       N_("Start work")),
    _t("wait", {"in_progress"}, "waiting", {"lead", "inspector"}, {"reason"},
       N_("Wait for information (pauses the clock)")),
    _t("resume", {"waiting"}, "in_progress", {"lead", "inspector"}, set(),
       N_("Resume work")),
    _t("resolve", {"in_progress", "waiting"}, "resolved", {"lead", "inspector"}, {"outcome"},
       N_("Resolve")),
    _t("reject", {"received", "triaged", "assigned"}, "rejected", {"officer", "lead"}, {"reason"},
       N_("Reject (spam, out of scope, duplicate)")),
    _t("close", {"resolved", "rejected"}, "closed", {"officer", "lead"}, set(),
       N_("Close")),
    _t("reopen", {"resolved", "rejected", "closed"}, "in_progress", {"officer", "lead"},
       {"reason"}, N_("Reopen")),
    _t("transfer", {"received", "triaged", "assigned", "in_progress", "waiting"}, "triaged",
       {"officer", "lead"}, {"agency", "reason"},
       N_("Transfer to another agency")),
    _t("extend", set(OPEN_STATES), None, {"officer", "lead"}, {"due_date", "reason"},
       N_("Extend the due date")),
    _t("mark_duplicate", {"received", "triaged", "assigned"}, "rejected", {"officer"},
       {"duplicate_of", "reason"}, N_("Join to a duplicate case")),
    _t("add_support", set(OPEN_STATES), None, {"officer", "lead"}, {"support"},
       N_("Add a supporting agency")),
)
BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def allowed_actions(status: str, role: str) -> list[Transition]:
    """What this role may do to a case in this status: the only buttons the page shows."""
    return [t for t in TRANSITIONS if status in t.sources and role in t.roles]


# A supporting agency's own task on a case (states in catalog.SUPPORT_STATUSES), with its own
# small workflow. Only the supporting agency's staff take these; `workflows.supports` applies them.
SUPPORT_TRANSITIONS: tuple[Transition, ...] = (
    _t("support_assign", {"open"}, "open", {"lead"}, {"assignee"},
       N_("Assign an inspector to the task")),
    _t("support_done", {"open"}, "done", {"lead", "inspector"}, {"report"},
       N_("Report the task done")),
    _t("support_reopen", {"done"}, "open", {"lead"}, {"reason"},
       N_("Reopen the task")),
)
SUPPORT_BY_ACTION = {transition.action: transition for transition in SUPPORT_TRANSITIONS}


def allowed_support_actions(status: str, role: str) -> list[Transition]:
    return [t for t in SUPPORT_TRANSITIONS if status in t.sources and role in t.roles]
