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


def refusal(action: str, status: str, agency: str | None, assignee: int | None, user,
            what: str = "case") -> ActionRefused:
    transition = BY_ACTION.get(action) or SUPPORT_BY_ACTION[action]
    with pytest.raises(ActionRefused) as refused:
        check_permission(transition, status, agency, assignee, user, what)
    return refused.value


@pytest.mark.parametrize(("what", "message"), [
    ("case", "This action is not possible while the case is “{status}”."),
    ("task", "This action is not possible while the task is “{status}”.")])
def test_the_state_is_checked_first_and_named(what, message):
    action = "start" if what == "case" else "support_done"
    refused = refusal(action, "closed", "khcn", None, ANALYST, what)  # wrong on every count
    assert (refused.message, refused.params) == (message, {"status": "closed"})


def test_a_role_without_the_action_is_refused():
    refused = refusal("reject", "received", "qltt", None, INSPECTOR)
    assert (refused.message, refused.params) == ("Your role may not take this action.", {})


@pytest.mark.parametrize(("what", "message"), [
    ("case", "Only the agency handling the case may take this action."),
    ("task", "Only the supporting agency may take this action.")])
def test_another_agencys_lead_is_refused(what, message):
    action = "reject" if what == "case" else "support_reopen"
    status = "received" if what == "case" else "done"
    assert refusal(action, status, "khcn", None, LEAD, what).message == message
    check_permission(BY_ACTION["reject"], "received", None, None, OFFICER)  # any agency's


@pytest.mark.parametrize(("what", "message"), [
    ("case", "Only the inspector the case is assigned to may do this."),
    ("task", "Only the inspector the task is assigned to may do this.")])
def test_an_inspector_acts_only_on_what_is_assigned_to_them(what, message):
    action = "start" if what == "case" else "support_done"
    status = "assigned" if what == "case" else "open"
    assert refusal(action, status, "qltt", 99, INSPECTOR, what).message == message
    check_permission(BY_ACTION[action] if what == "case" else SUPPORT_BY_ACTION[action],
                     status, "qltt", INSPECTOR.id, INSPECTOR, what)
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
