from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import REPORTER, VALID_REPORT, post_report
from tests.workflows.conftest import triage_case
from workflows.audit.models import AuditEvent
from workflows.cases.models import Case, SeizedItem
from workflows.cases.queue import QueueFilters, queue_page
from workflows.cases.refusals import InvalidInput
from workflows.cases.states import OPEN_STATES, TRANSITIONS, allowed_actions
from workflows.cases.transitions import ActionRefused, StaleCase
from workflows.mail.models import OutboxMessage


async def test_a_case_walks_the_whole_workflow_and_the_audit_trail_holds_each_step(
        client, people, act):
    case = await triage_case(client)
    assert case.agency_code is None
    case = await act(case, people["officer"], "triage", agency_code="qltt")
    assert (case.status, case.agency_code) == ("triaged", "qltt")
    case = await act(case, people["lead"], "assign", assignee_id=people["inspector"].id)
    case = await act(case, people["inspector"], "start")
    case = await act(case, people["inspector"], "wait", question="Chờ kết quả kiểm nghiệm mẫu.")
    case = await act(case, people["inspector"], "resume")
    later = (case.due_at + dt.timedelta(days=10)).date()
    case = await act(case, people["lead"], "extend", due_date=later, reason="Chờ giám định.")
    case = await act(case, people["inspector"], "resolve", outcome="violation_confirmed",
                     public_outcome="Đã xử phạt cơ sở bán hàng.", fine_vnd=15_000_000,
                     legal_basis="Nghị định 98/2020/NĐ-CP", **SEIZED)
    assert (case.status, case.outcome, case.fine_vnd) == ("resolved", "violation_confirmed",
                                                          15_000_000)
    case = await act(case, people["lead"], "close")
    case = await act(case, people["officer"], "reopen", reason="Người dân phản ánh tiếp.")
    assert case.status == "in_progress" and case.resolved_at is None

    actions = await AuditEvent.filter(case_id=case.id).order_by("seq").values_list(
        "action", flat=True)
    assert actions == ["created", "routed", "triage", "assign", "start", "wait", "resume",
                       "extend", "resolve", "close", "reopen"]
    kinds = await OutboxMessage.filter(case_id=case.id).order_by("id").values_list(
        "kind", "recipient")
    assert kinds == [("citizen_ack", REPORTER["reporter_email"]),
                     ("agency_alert", "qltt@example.gov.vn"),
                     ("assignment_notice", people["inspector"].email),
                     ("question_notice", REPORTER["reporter_email"]),
                     ("resolution_notice", REPORTER["reporter_email"])]
    resolved = await AuditEvent.get(case_id=case.id, action="resolve")
    assert resolved.after["status"] == "resolved" and resolved.before["status"] == "in_progress"
    assert resolved.actor_type == "staff" and resolved.actor_id == str(people["inspector"].id)


@pytest.mark.parametrize("status", sorted(OPEN_STATES | {"resolved", "rejected", "closed"}))
async def test_every_action_not_allowed_from_a_state_is_refused(client, people, act, status):
    await post_report(client)
    case = await Case.get()
    await Case.filter(id=case.id).update(status=status, assignee_id=people["inspector"].id)
    for transition in TRANSITIONS:
        if status in transition.sources:
            continue
        for user in (people["officer"], people["lead"]):
            with pytest.raises(ActionRefused) as refused:
                await act(case, user, transition.action, reason="x", agency_code="khcn",
                          assignee_id=people["inspector"].id, outcome="not_confirmed",
                          public_outcome="x", due_date=dt.date(2099, 1, 1))
            assert refused.value.params.get("status") == status
    assert (await Case.get()).status == status  # nothing changed


async def test_roles_and_agencies_are_checked(client, people, act):
    await post_report(client)
    case = await Case.get()
    refusals = [
        (people["inspector"], "assign", {"assignee_id": people["inspector"].id}),
        (people["analyst"], "reject", {"reason": "spam"}),
        (people["khcn_lead"], "reject", {"reason": "không phải của chúng tôi"}),
        (people["lead"], "assign", {"assignee_id": people["khcn_lead"].id}),
        (people["lead"], "transfer", {"agency_code": "qltt", "reason": "x"}),
        (people["lead"], "reject", {"reason": "   "}),
    ]
    for user, action, fields in refusals:
        with pytest.raises(ActionRefused):
            await act(case, user, action, **fields)
    case = await act(case, people["lead"], "assign", assignee_id=people["other_inspector"].id)
    with pytest.raises(ActionRefused, match="assigned to"):
        await act(case, people["inspector"], "start")
    assert (await act(case, people["other_inspector"], "start")).status == "in_progress"
    assert allowed_actions("received", "analyst") == []


async def test_a_transfer_reroutes_the_case_and_alerts_the_new_agency(client, people, act):
    await post_report(client)
    case = await Case.get()
    case = await act(case, people["lead"], "transfer", agency_code="khcn",
                     reason="Vấn đề về nhãn hàng hóa, thuộc Sở KH&CN.")
    assert (case.status, case.agency_code, case.assignee_id) == ("triaged", "khcn", None)
    alerts = await OutboxMessage.filter(kind="agency_alert").order_by("id").values_list(
        "recipient", flat=True)
    assert alerts == ["qltt@example.gov.vn", "khcn@example.gov.vn"]
    event = await AuditEvent.get(action="transfer")
    assert event.before == {"agency_code": "qltt", "alert_undelivered": False,
                            "assignee_id": None, "status": "received"}
    assert event.reason == "Vấn đề về nhãn hàng hóa, thuộc Sở KH&CN."


async def test_of_two_people_acting_at_once_exactly_one_wins(client, people, act):
    await post_report(client)
    case = await Case.get()
    results = await asyncio.gather(
        act(case, people["lead"], "reject", reason="Tin rác", version=case.version),
        act(case, people["officer"], "assign", assignee_id=people["inspector"].id,
            version=case.version),
        return_exceptions=True)
    assert sum(isinstance(result, Case) for result in results) == 1
    assert sum(isinstance(result, StaleCase) for result in results) == 1
    fresh = await Case.get()
    assert fresh.version == case.version + 1
    assert await AuditEvent.filter(case_id=case.id).exclude(
        action__in=["created", "routed"]).count() == 1


async def test_waiting_stops_the_clock_and_moves_the_due_date_by_the_days_waited(
        client, people, act, app):
    await post_report(client)
    case = await Case.get()
    case = await act(case, people["lead"], "assign", assignee_id=people["inspector"].id)
    case = await act(case, people["inspector"], "start")
    case = await act(case, people["inspector"], "wait", question="Chờ người bán giải trình.")
    assert case.paused_at is not None
    # It has waited since a week before its due date, which has passed meanwhile.
    service = app.state.intake.reference.service_levels
    due = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    started_waiting = due - dt.timedelta(days=7)
    waited = service.working_days_between(started_waiting, dt.datetime.now(dt.UTC))
    await Case.filter(id=case.id).update(paused_at=started_waiting, due_at=due)
    assert (await queue_page(people["officer"], QueueFilters(overdue=True))).total == 0
    case = await act(case, people["inspector"], "resume")
    assert case.paused_at is None
    assert case.due_at == service.add_working_days(due, waited)
    assert case.due_at > dt.datetime.now(dt.UTC)  # the days spent waiting do not count
    assert (await queue_page(people["officer"], QueueFilters(overdue=True))).total == 0


SEIZED = {"seized_1_name": "Nước mắm giả", "seized_1_quantity": "120", "seized_1_unit": "chai",
          "seized_1_value": "9.600.000"}


@pytest.mark.parametrize(("field", "typed"), [
    ("seized_1_quantity", "1" + "0" * 13), ("seized_1_quantity", "2,0005"),
    ("fine_vnd", "1" + "0" * 15), ("seized_1_value", "9" * 16),
    ("seized_1_quantity", "120 chai"), ("violator_tax_code", "0100233489"),
    ("decision_date", "2099-01-01"), ("seized_1_quantity", "1.500"), ("seized_1_quantity", "1,500"),
    ("seized_1_quantity", "1_000"), ("seized_1_quantity", "٣"), ("seized_1_quantity", "-3"),
    ("seized_1_quantity", "1000000000000"), ("fine_vnd", "1,5"), ("fine_vnd", "15.00"),
    ("seized_1_value", "150.5"), ("seized_1_name", "🍶🍶"), ("seized_1_unit", "")])
async def test_a_value_the_penalty_record_cannot_hold_is_a_field_error(client, people, act,
                                                                      field, typed):
    case = await triage_case(client)
    case = await act(case, people["officer"], "triage", agency_code="qltt")
    case = await act(case, people["lead"], "assign", assignee_id=people["inspector"].id)
    case = await act(case, people["inspector"], "start")
    with pytest.raises(InvalidInput) as refused:
        await act(case, people["inspector"], "resolve", outcome="violation_confirmed",
                  public_outcome="Đã xử phạt.", **{**SEIZED, field: typed})
    assert set(refused.value.errors) == {field}
    assert (await Case.get(id=case.id)).status == "in_progress"  # nothing half-written
    assert await SeizedItem.filter(case_id=case.id).count() == 0
    resolved = await act(case, people["inspector"], "resolve", outcome="violation_confirmed",
                         public_outcome="Đã xử phạt.", fine_vnd="999.999.999.999.999",
                         violator_tax_code="0100233488-001", decision_number="12/QĐ-XPVPHC",
                         decision_date="2026-11-20", violator_kind="company", **SEIZED,
                         seized_2_name="Nhãn giả", seized_2_quantity="1.500.000",
                         seized_2_unit="cái", seized_2_destroyed="1",
                         seized_3_name="Hương liệu", seized_3_quantity="0.500", seized_3_unit="kg")
    assert (resolved.fine_vnd, resolved.violator_tax_code) == (10**15 - 1, "0100233488001")
    assert (resolved.seized_quantity, resolved.seized_value_vnd) == (3, 9_600_000)
    items = await SeizedItem.filter(case_id=case.id).order_by("id")
    assert [(i.name, i.quantity, i.unit, i.destroyed) for i in items] == [
        ("Nước mắm giả", 120, "chai", False), ("Nhãn giả", 1_500_000, "cái", True),
        ("Hương liệu", Decimal("0.5"), "kg", False)]




async def test_a_case_with_signs_of_a_crime_is_referred_to_the_police(client, people, act):
    await post_report(client, {**VALID_REPORT, "category": "smuggled"})
    case = await Case.get()
    assert case.agency_code == "qltt"
    referred = await act(case, people["lead"], "refer_to_police",
                         reason="Hơn 5.000 bao thuốc lá lậu: dấu hiệu tội buôn lậu.")
    assert (referred.agency_code, referred.status, referred.assignee_id) == ("pc03", "triaged",
                                                                            None)
    alert = await OutboxMessage.get(case_id=case.id, kind="agency_alert",
                                    recipient="pc03@example.gov.vn")
    assert "Phòng Cảnh sát kinh tế" in alert.body_text
    with pytest.raises(ActionRefused):  # the lead's agency no longer has it
        await act(referred, people["lead"], "refer_to_police", reason="Lần nữa.")
    with pytest.raises(ActionRefused, match="already with the police"):
        await act(referred, people["officer"], "refer_to_police", reason="Lần nữa.")
