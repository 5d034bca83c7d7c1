"""What each action changes besides the status (workflows.cases.effects), read back as the
next person sees it: a deadline ends the day chosen in Vietnam; a reopening answers the
reporter's request for a review; a joined duplicate; a supporting agency's task and its due
date; a transfer that ends the new agency's support; a second resolution that replaces the
goods seized. Killing what mutation testing left alive (issue 40). On both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import REPORTER, VALID_REPORT, post_report
from tests.workflows.conftest import triage_case
from workflows.audit.models import AuditEvent
from workflows.cases.effects import end_of_day
from workflows.cases.models import Case, CaseFeedback, CaseMessage, CaseSupport, SeizedItem
from workflows.cases.refusals import ActionRefused, StaleCase
from workflows.cases.sealing import CANNOT_ASK_OUTSIDE
from workflows.i18n.formatting import VIETNAM
from workflows.mail.models import OutboxMessage

OUTCOME = {"outcome": "violation_confirmed", "public_outcome": "Đã xử phạt cơ sở bán hàng.",
           "fine_vnd": "15000000", "legal_basis": "Nghị định 98/2020/NĐ-CP",
           "decision_number": "12/QĐ-XPHC", "violator_name": "Cửa hàng Hưng Thịnh"}


def last_second(day: dt.date) -> dt.datetime:
    """23:59:59 in Vietnam (UTC+7) is 16:59:59 UTC: written out, not computed by the code."""
    return dt.datetime.combine(day, dt.time(16, 59, 59), tzinfo=dt.UTC)


def test_a_deadline_is_the_last_second_of_its_day_in_vietnam():
    due = end_of_day(dt.date(2026, 12, 31))
    assert due == dt.datetime(2026, 12, 31, 16, 59, 59, tzinfo=dt.UTC)
    # Survives mutation, and changes nothing a user sees: `.astimezone(None)` is the same
    # instant in the server's zone, stored in UTC all the same. So do `using_db(None)` and a
    # `using_db` left out in the effects' follow-up writes: inside `in_transaction()` Tortoise
    # writes through the transaction anyway.


async def routed(client, fields: dict[str, str] | None = None) -> Case:
    await post_report(client, {**VALID_REPORT, **REPORTER, **(fields or {})})
    return await Case.all().order_by("-id").first()


async def resolved(client, people, act, **seized: str) -> Case:
    case = await routed(client)
    case = await act(case, people["lead"], "assign", assignee_id=people["inspector"].id)
    case = await act(case, people["inspector"], "start")
    return await act(case, people["inspector"], "resolve", **OUTCOME, **seized)


async def test_an_extension_ends_on_the_last_second_of_the_day_chosen(client, people, act):
    case = await routed(client)
    later = (case.due_at.astimezone(VIETNAM) + dt.timedelta(days=10)).date()
    case = await act(case, people["lead"], "extend", due_date=later, reason="Chờ giám định.")
    assert (await Case.get(id=case.id)).due_at == last_second(later)


async def test_triage_gives_the_agency_its_own_longer_time_never_a_shorter_one(
        app, client, people, act):
    levels = app.state.intake.reference.service_levels
    case = await triage_case(client)
    await Case.filter(id=case.id).update(category="substandard")  # 15 working days, or 20
    case = await act(case, people["officer"], "triage", agency_code="khcn")  # ...at a lab's
    assert (case.agency_code, case.assignee_id, case.alert_undelivered) == ("khcn", None, False)
    assert case.due_at == levels.due_at("substandard", case.created_at, "khcn")
    assert case.due_at > levels.due_at("substandard", case.created_at)
    # Already due later (moved by an officer): triage does not bring the date forward.
    later = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    other = await routed(client, {"category": "food_safety", "product_group": "other"})
    await Case.filter(id=other.id).update(due_at=later)
    other = await act(other, people["officer"], "triage", agency_code="qltt")
    assert other.due_at == later


async def test_waiting_asks_the_reporter_and_stops_the_clock(client, people, act):
    case = await routed(client)
    case = await act(case, people["lead"], "assign", assignee_id=people["inspector"].id)
    assigned_at = case.updated_at
    case = await act(case, people["inspector"], "start")
    assert (await Case.get(id=case.id)).updated_at > assigned_at  # the queue's "changed"
    assert (await AuditEvent.get(case_id=case.id, action="start")).reason == ""  # none given
    before = dt.datetime.now(dt.UTC)
    question = "Anh/chị mua hàng ở quầy nào trong chợ?"
    case = await act(case, people["inspector"], "wait", question=question)
    assert case.status == "waiting" and before <= case.paused_at <= dt.datetime.now(dt.UTC)
    [asked] = await CaseMessage.filter(case_id=case.id)
    assert (asked.author, asked.kind, asked.body) == ("agency", "question", question)
    event = await AuditEvent.get(case_id=case.id, action="wait")
    assert event.reason == question
    [told] = await OutboxMessage.filter(case_id=case.id, kind="question_notice")
    assert question in told.body_text


async def test_reopening_grants_the_reporters_request_for_a_review(client, people, act):
    case = await resolved(client, people, act)
    other = await resolved(client, people, act)
    now = dt.datetime.now(dt.UTC)
    for on in (case, other):
        await CaseFeedback.create(case=on, resolved_at=on.resolved_at, satisfied=False,
                                  comment="Vẫn còn bán.", created_at=now, review="pending")
    declined = await CaseFeedback.create(  # on an earlier resolution, declined then
        case=case, resolved_at=case.resolved_at - dt.timedelta(days=9), satisfied=False,
        created_at=now, review="declined")
    reason = "Người dân cung cấp thêm hóa đơn: xem xét lại."
    case = await act(case, people["lead"], "reopen", reason=reason, review_granted="1")
    assert (case.status, case.resolved_at) == ("in_progress", None)
    [granted] = await CaseFeedback.filter(case_id=case.id, review="granted")
    assert (granted.decided_by_id, granted.decision_reason) == (people["lead"].id, reason)
    assert abs(granted.decided_at - now) < dt.timedelta(minutes=1)
    assert (await CaseFeedback.get(id=declined.id)).review == "declined"
    assert (await CaseFeedback.get(case_id=other.id)).review == "pending"  # not this case's
    event = await AuditEvent.get(case_id=case.id, action="reopen")
    assert event.after["review_granted"] is True and event.reason == reason
    [told] = await OutboxMessage.filter(case_id=case.id, kind="review_decision")
    assert told.recipient == REPORTER["reporter_email"] and reason in told.body_text


async def test_an_ordinary_reopening_still_answers_a_pending_review_but_tells_nobody(
        client, people, act):
    case = await resolved(client, people, act)
    await CaseFeedback.create(case=case, resolved_at=case.resolved_at, satisfied=False,
                              created_at=dt.datetime.now(dt.UTC), review="pending")
    case = await act(case, people["officer"], "reopen", reason="Mở lại để bổ sung hồ sơ.")
    assert (await CaseFeedback.get(case_id=case.id)).review == "granted"
    event = await AuditEvent.get(case_id=case.id, action="reopen")
    assert "review_granted" not in event.after
    assert not await OutboxMessage.exists(case_id=case.id, kind="review_decision")


async def test_a_duplicate_is_joined_to_its_case_and_reopening_unjoins_it(client, people, act):
    original = await routed(client)
    repeat = await routed(client)
    repeat = await act(repeat, people["officer"], "mark_duplicate",
                       duplicate_of=original.tracking_code, reason="Cùng lô hàng.")
    assert (repeat.status, repeat.duplicate_of_id) == ("rejected", original.id)
    assert (await Case.get(id=original.id)).duplicate_of_id is None
    repeat = await act(repeat, people["officer"], "reopen", reason="Không trùng.")
    assert repeat.duplicate_of_id is None


async def test_a_supporting_agency_gets_its_task_due_when_the_lead_says_or_with_the_case(
        client, people, act):
    case = await routed(client)
    chosen = (case.due_at.astimezone(VIETNAM) + dt.timedelta(days=3)).date()
    await act(case, people["lead"], "add_support", agency_code="khcn",
              task="Kiểm tra nhãn hàng hóa.", due_date=chosen)
    await act(case, people["lead"], "add_support", agency_code="bvntd",
              task="Hỗ trợ người tiêu dùng.")
    tasks = {task.agency_code: task for task in await CaseSupport.filter(case_id=case.id)}
    assert tasks["khcn"].task == "Kiểm tra nhãn hàng hóa."
    assert tasks["khcn"].due_at == last_second(chosen)
    assert tasks["bvntd"].due_at == case.due_at  # with the case
    events = await AuditEvent.filter(case_id=case.id, action="add_support").order_by("seq")
    assert [(event.after["agency"], event.after["due_at"], event.reason) for event in events] == [
        ("khcn", last_second(chosen).isoformat(), "Kiểm tra nhãn hàng hóa."),
        ("bvntd", case.due_at.isoformat(), "Hỗ trợ người tiêu dùng.")]  # the task, as its reason


async def test_a_transfer_to_a_supporting_agency_ends_only_its_support(client, people, act):
    elsewhere = await routed(client)
    await act(elsewhere, people["lead"], "add_support", agency_code="khcn", task="Kiểm tra.")
    case = await routed(client)
    for code in ("khcn", "bvntd"):
        case = await act(case, people["lead"], "add_support", agency_code=code,
                         task="Phối hợp kiểm tra.")
    case = await act(case, people["lead"], "assign", assignee_id=people["inspector"].id)
    case = await act(case, people["officer"], "transfer", agency_code="khcn",
                     reason="Thuộc lĩnh vực đo lường.")
    assert (case.agency_code, case.assignee_id, case.alert_undelivered) == ("khcn", None, False)
    assert await CaseSupport.filter(case_id=case.id).values_list(
        "agency_code", flat=True) == ["bvntd"]
    assert await CaseSupport.exists(case_id=elsewhere.id, agency_code="khcn")  # another case's


async def test_a_second_resolution_replaces_the_goods_seized(client, people, act):
    case = await resolved(client, people, act, seized_1_name="Nước mắm giả",
                          seized_1_quantity="120", seized_1_unit="chai",
                          seized_1_value="9.600.000")
    assert (case.decision_number, case.violator_name) == ("12/QĐ-XPHC", "Cửa hàng Hưng Thịnh")
    case = await act(case, people["officer"], "reopen", reason="Bổ sung tang vật.")
    case = await act(case, people["inspector"], "resolve", **OUTCOME,
                     seized_1_name="Nước mắm giả", seized_1_quantity="150",
                     seized_1_unit="chai", seized_1_value="12.000.000", seized_2_name="Nhãn giả",
                     seized_2_quantity="300", seized_2_unit="cái")
    items = await SeizedItem.filter(case_id=case.id).order_by("id").values_list(
        "name", "quantity", "unit", "value_vnd")
    assert items == [("Nước mắm giả", 150, "chai", 12_000_000), ("Nhãn giả", 300, "cái", None)]
    event = await AuditEvent.filter(case_id=case.id, action="resolve").order_by("-seq").first()
    assert [item["quantity"] for item in event.after["seized"]] == ["150", "300"]


async def test_what_take_action_refuses_before_it_changes_anything(client, people, act):
    case = await routed(client)
    case = await act(case, people["lead"], "assign", assignee_id=people["inspector"].id)
    case = await act(case, people["inspector"], "start")
    refusals = {}
    for action, fields in (("fly", {}), ("start", {"version": case.version - 1})):
        with pytest.raises(ActionRefused) as refused:
            await act(case, people["inspector"], action, **fields)
        refusals[action] = refused.value
    assert refusals["fly"].message == "Unknown action."
    assert isinstance(refusals["start"], StaleCase)
    # With the police (sealed), no business may be asked: it could warn the suspect.
    await Case.filter(id=case.id).update(sealed_at=dt.datetime.now(dt.UTC))
    with pytest.raises(ActionRefused) as refused:
        await act(case, people["inspector"], "request_explanation", business_name="Cơ sở A",
                  business_email="a@example.vn", question="Giải trình nguồn gốc hàng.")
    assert refused.value.message == CANNOT_ASK_OUTSIDE
    assert (await Case.get(id=case.id)).version == case.version  # nothing changed
    assert not await AuditEvent.filter(case_id=case.id, action="request_explanation").exists()


async def test_a_task_on_a_case_with_no_due_date_is_due_in_the_agencys_own_time(
        app, client, people, act):
    """A case stored without a due date (rows from before due dates were kept): the supporting
    agency's own service level for the case's category (20 working days for a laboratory's
    substandard goods, not the 15 of the rest)."""
    case = await routed(client)
    await Case.filter(id=case.id).update(due_at=None, category="substandard")
    case = await act(case, people["lead"], "add_support", agency_code="khcn", task="Thử mẫu.")
    task = await CaseSupport.get(case_id=case.id)
    levels = app.state.intake.reference.service_levels
    assert task.due_at == levels.due_at("substandard", task.created_at, "khcn")
    assert task.due_at != levels.due_at("substandard", task.created_at, None)
