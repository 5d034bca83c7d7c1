"""Who may take which action, and the refusal each person reads (workflows.cases.transitions
and .states): the state first, then the role, the agency, and for an inspector the case or
task assigned to them. Pure functions, checked without a database; the whole flow through
the database is tests/workflows/cases/test_transitions.py."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from workflows.cases.refusals import ActionRefused
from workflows.cases.states import (
    BY_ACTION,
    EVENTS,
    SUPPORT_BY_ACTION,
    action_label,
    allowed_actions,
    allowed_support_actions,
)
from workflows.cases.transitions import check_permission, snapshot

OFFICER = SimpleNamespace(id=1, role="officer", agency_code=None)
LEAD = SimpleNamespace(id=2, role="lead", agency_code="qltt")
INSPECTOR = SimpleNamespace(id=3, role="inspector", agency_code="qltt")
ANALYST = SimpleNamespace(id=4, role="analyst", agency_code=None)


STATE = "This action is not possible while the {what} is “{{status}}”."


@pytest.mark.parametrize(("action", "status", "agency", "assignee", "user", "what", "message"), [
    # The state first, whatever else is wrong.
    ("start", "closed", "khcn", None, ANALYST, "case", STATE.format(what="case")),
    ("support_done", "closed", "khcn", None, ANALYST, "task", STATE.format(what="task")),
    ("reject", "received", "qltt", None, INSPECTOR, "case", "Your role may not take this action."),
    ("reject", "received", "khcn", None, LEAD, "case",
     "Only the agency handling the case may take this action."),
    ("support_reopen", "done", "khcn", None, LEAD, "task",
     "Only the supporting agency may take this action."),
    ("start", "assigned", "qltt", 99, INSPECTOR, "case",
     "Only the inspector the case is assigned to may do this."),
    ("support_done", "open", "qltt", 99, INSPECTOR, "task",
     "Only the inspector the task is assigned to may do this."),
])
def test_each_refusal_names_its_reason(action, status, agency, assignee, user, what, message):
    transition = BY_ACTION.get(action) or SUPPORT_BY_ACTION[action]
    with pytest.raises(ActionRefused) as refused:
        check_permission(transition, status, agency, assignee, user, what)
    assert refused.value.message == message
    assert refused.value.params == ({"status": status} if message.startswith("This") else {})


def test_who_may_act_on_what():
    check_permission(BY_ACTION["reject"], "received", None, None, OFFICER)  # any agency's
    check_permission(BY_ACTION["start"], "assigned", "qltt", INSPECTOR.id, INSPECTOR)
    check_permission(SUPPORT_BY_ACTION["support_done"], "open", "qltt", INSPECTOR.id,
                     INSPECTOR, "task")
    # A lead may take an assignee's action on any case of their agency.
    check_permission(BY_ACTION["start"], "assigned", "qltt", 99, LEAD)


def test_the_buttons_shown_are_the_actions_allowed():
    assert [t.action for t in allowed_actions("in_progress", "inspector")] == [
        "wait", "request_explanation", "request_explanation_and_wait", "ask_brand_owner",
        "resolve"]
    # With the police, nothing that asks outside: no business, no brand owner.
    assert [t.action for t in allowed_actions("in_progress", "inspector", sealed=True)] == [
        "wait", "resolve"]
    assert [t.action for t in allowed_actions("received", "officer")] == [
        "triage", "assign", "reject", "transfer", "refer_to_police", "extend",
        "mark_duplicate", "add_support"]
    # With the police as its agency: no second referral.
    assert "refer_to_police" not in [t.action for t in allowed_actions(
        "triaged", "lead", sealed=True, at_police=True)]
    assert "refer_to_police" in [t.action for t in allowed_actions("triaged", "lead",
                                                                   sealed=True)]
    assert allowed_actions("received", "analyst") == []
    assert [t.action for t in allowed_support_actions("open", "lead")] == [
        "support_assign", "support_done"]
    assert [t.action for t in allowed_support_actions("open", "inspector")] == ["support_done"]
    assert [t.action for t in allowed_support_actions("done", "lead")] == ["support_reopen"]
    assert allowed_support_actions("done", "inspector") == []


def test_each_form_confirms_with_its_own_button():
    assert action_label("resolve") == "Resolve"
    assert action_label("support_done") == "Report the task done"
    assert action_label("message:question") == "Send as a question"
    assert action_label("no_such_action") == ""


def test_each_action_is_an_event_with_its_timeline_line_and_its_form():
    transfer = BY_ACTION["transfer"]
    assert transfer.event == EVENTS["transfer"]
    assert (transfer.event.name, transfer.event.history, transfer.event.notices) == (
        "transfer", "Transferred to {agency}", ("agency_alert", "transfer_notice"))
    assert [field.name for field in BY_ACTION["extend"].fields] == ["due_date", "reason"]
    assert BY_ACTION["start"].fields == ()


def test_a_snapshot_keeps_what_the_audit_event_can_store():
    record = SimpleNamespace(due_at=dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC),
                             decision_date=dt.date(2026, 12, 1), fine_vnd=15_000_000,
                             status="resolved")
    assert snapshot(record, ["decision_date", "due_at", "fine_vnd"]) == {
        "decision_date": "2026-12-01", "due_at": "2026-12-05T09:30:00+00:00",
        "fine_vnd": 15_000_000}
