"""Several agencies on one case, and duplicates joined to the case they repeat."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import REPORTER, VALID_REPORT, post_report
from tests.workflows.conftest import as_form, triage_case
from workflows.access.visibility import visible_case
from workflows.audit.models import AuditEvent
from workflows.cases.models import Case, CaseSupport
from workflows.cases.public_view import public_status
from workflows.cases.queue import QueueFilters, queue_page
from workflows.cases.refusals import ActionRefused, StaleCase
from workflows.cases.supports import take_support_action
from workflows.cases.transitions import ActionRequest
from workflows.i18n.formatting import VIETNAM
from workflows.mail.models import OutboxMessage


async def support_act(app, case: Case, user, action: str, version: int, **fields):
    """The user's agency's task on the case, moved by one action as the case page posts it."""
    if "text" in fields:  # the task's report when done, the reason when reopened
        fields["report" if action == "support_done" else "reason"] = fields.pop("text")
    context = app.state.intake
    return await take_support_action(case, user, ActionRequest(action, version, as_form(fields)),
                                     context.reference, context.events)


async def qltt_case(client, **fields) -> Case:
    await post_report(client, {**VALID_REPORT, **REPORTER, **fields})
    return await Case.filter(product_name=fields.get("product_name",
                                                     VALID_REPORT["product_name"])).get()


async def test_a_supporting_agency_shares_the_case_with_its_own_task(client, people, act,
                                                                      app):
    case = await qltt_case(client)
    due = dt.datetime.now(VIETNAM).date() + dt.timedelta(days=5)
    case = await act(case, people["lead"], "add_support", agency_code="khcn",
                     task="Kiểm tra nhãn và đo lường của lô hàng.", due_date=due)
    assert case.agency_code == "qltt"  # shared, not moved
    support = await CaseSupport.get(case_id=case.id)
    assert (support.agency_code, support.status) == ("khcn", "open")
    assert support.due_at.astimezone(VIETNAM).date() == due
    alert = await OutboxMessage.get(kind="support_request")
    assert alert.recipient == "khcn@example.gov.vn"
    assert "Kiểm tra nhãn và đo lường" in alert.body_text
    assert REPORTER["reporter_phone"] not in alert.body_text

    # The supporting agency sees the case in its queue and on its page; a third agency does not.
    khcn_queue = await queue_page(people["khcn_inspector"], QueueFilters())
    assert [c.tracking_code for c in khcn_queue.cases] == [case.tracking_code]
    assert khcn_queue.supports[case.id].task == "Kiểm tra nhãn và đo lường của lô hàng."
    assert (khcn_queue.total, khcn_queue.status_counts) == (1, {case.status: 1})
    assert await visible_case(people["khcn_inspector"], case.tracking_code) is not None
    assert await visible_case(people["bvntd_lead"], case.tracking_code) is None

    # It works its own task, but may not act on the case itself.
    with pytest.raises(ActionRefused, match="handling the case"):
        await act(case, people["khcn_lead"], "reject", reason="Không phải việc của Sở.")
    with pytest.raises(ActionRefused, match="assigned to"):
        await support_act(app, case, people["khcn_inspector"], "support_done",
            support.version, text="Xong.")
    support = await support_act(app, case, people["khcn_lead"], "support_assign",
        support.version, assignee_id=people["khcn_inspector"].id)
    mine = await queue_page(people["khcn_inspector"], QueueFilters(mine=True))
    assert mine.total == 1
    with pytest.raises(StaleCase):
        await support_act(app, case, people["khcn_inspector"], "support_done",
            support.version - 1, text="Đã lấy mẫu.")
    with pytest.raises(ActionRefused, match="Write what was done"):
        await support_act(app, case, people["khcn_inspector"], "support_done",
            support.version, text="  ")
    support = await support_act(app, case, people["khcn_inspector"], "support_done",
        support.version, text="Đã lấy mẫu gửi kiểm nghiệm: nhãn sai quy định.")
    assert support.status == "done" and support.completed_at is not None
    assert support.report == "Đã lấy mẫu gửi kiểm nghiệm: nhãn sai quy định."
    # Not enough: the lead reopens the task, which is open and not done again.
    support = await support_act(app, case, people["khcn_lead"], "support_reopen",
        support.version, text="Cần kết quả kiểm nghiệm.")
    assert (support.status, support.completed_at) == ("open", None)
    support = await support_act(app, case, people["khcn_inspector"], "support_done",
        support.version, text="Đã có kết quả kiểm nghiệm: nhãn sai quy định.")

    # The lead agency resolves the case: the supporting agency's task does not hold it up.
    case = await act(case, people["lead"], "assign", assignee_id=people["inspector"].id)
    case = await act(case, people["inspector"], "start")
    case = await act(case, people["inspector"], "resolve", outcome="violation_confirmed",
                     public_outcome="Đã xử phạt.")
    assert case.status == "resolved"
    actions = await AuditEvent.filter(case_id=case.id).order_by("seq").values_list(
        "action", flat=True)
    assert actions == ["created", "routed", "add_support", "support_assign", "support_done",
                       "support_reopen", "support_done", "assign", "start", "resolve"]


async def test_a_support_can_be_added_once_and_not_for_the_lead_agency(client, people, act):
    case = await qltt_case(client)
    for fields, message in (({"agency_code": "qltt", "task": "x"}, "other than"),
                            ({"agency_code": "nowhere", "task": "x"}, "other than"),
                            ({"agency_code": "khcn", "task": " "}, "Describe the task"),
                            ({"agency_code": "khcn", "task": "x",
                              "due_date": dt.date(2020, 1, 1)}, "past")):
        with pytest.raises(ActionRefused, match=message):
            await act(case, people["lead"], "add_support", **fields)
    with pytest.raises(ActionRefused, match="handling the case"):
        await act(case, people["khcn_lead"], "add_support", agency_code="bvntd", task="x")
    case = await act(case, people["officer"], "add_support", agency_code="khcn", task="Đo lường.")
    assert (await CaseSupport.get()).due_at == case.due_at  # no date given: the case's own
    with pytest.raises(ActionRefused, match="already supports"):
        await act(case, people["lead"], "add_support", agency_code="khcn", task="Lần nữa.")
    assert await OutboxMessage.filter(kind="support_request").count() == 1


async def test_transferring_to_the_supporting_agency_makes_it_the_lead(client, people, act):
    case = await qltt_case(client)
    case = await act(case, people["lead"], "add_support", agency_code="khcn", task="Đo lường.")
    case = await act(case, people["lead"], "transfer", agency_code="khcn", reason="Thuộc Sở.")
    assert case.agency_code == "khcn"
    assert await CaseSupport.filter(case_id=case.id).count() == 0


async def test_an_overdue_support_task_shows_in_the_supporting_agencys_overdue_queue(
        client, people, act):
    case = await qltt_case(client)
    case = await act(case, people["lead"], "add_support", agency_code="khcn", task="Đo lường.")
    await CaseSupport.filter(case_id=case.id).update(
        due_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    assert (await queue_page(people["khcn_lead"], QueueFilters(overdue=True))).total == 1
    # For the lead agency the case itself is still within its time.
    assert (await queue_page(people["lead"], QueueFilters(overdue=True))).total == 0


async def test_a_duplicate_joins_its_case_and_its_reporter_gets_the_outcome(client, people, act):
    original = await qltt_case(client)
    second_reporter = {**REPORTER, "reporter_email": "nguoi-thu-hai@example.com"}
    await post_report(client, {**VALID_REPORT, **second_reporter, "product_name": "Cùng chai"})
    duplicate = await Case.get(product_name="Cùng chai")
    for code, message in (("", "tracking code"), (duplicate.tracking_code, "tracking code"),
                          ("ZZZZ-ZZZZ", "tracking code")):
        with pytest.raises(ActionRefused, match=message):
            await act(duplicate, people["officer"], "mark_duplicate", duplicate_of=code,
                      reason="Trùng.")
    with pytest.raises(ActionRefused, match="role"):
        await act(duplicate, people["lead"], "mark_duplicate",
                  duplicate_of=original.tracking_code, reason="Trùng.")
    duplicate = await act(duplicate, people["officer"], "mark_duplicate",
                          duplicate_of=original.tracking_code.lower(),
                          reason="Cùng cửa hàng, cùng sản phẩm.")
    assert duplicate.status == "rejected"
    assert duplicate.duplicate_of_id == original.id
    shown = await public_status(duplicate)
    assert shown.duplicate_of == original.tracking_code and shown.outcome == ""
    # A third report cannot be joined to the duplicate: it goes to the original.
    await post_report(client, {**VALID_REPORT, "product_name": "Chai thứ ba"})
    third = await Case.get(product_name="Chai thứ ba")
    with pytest.raises(ActionRefused, match="itself a duplicate"):
        await act(third, people["officer"], "mark_duplicate",
                  duplicate_of=duplicate.tracking_code, reason="Trùng.")

    original = await act(original, people["lead"], "assign", assignee_id=people["inspector"].id)
    original = await act(original, people["inspector"], "start")
    await act(original, people["inspector"], "resolve", outcome="violation_confirmed",
              public_outcome="Cơ sở đã bị xử phạt và tịch thu hàng.")
    notices = await OutboxMessage.filter(kind="resolution_notice").order_by("id").values_list(
        "recipient", "case_id")
    assert notices == [(REPORTER["reporter_email"], original.id),
                       ("nguoi-thu-hai@example.com", duplicate.id)]
    shown = await public_status(await Case.get(id=duplicate.id))
    assert shown.outcome == "Cơ sở đã bị xử phạt và tịch thu hàng."


async def test_joining_a_duplicate_to_a_settled_case_tells_its_reporter_at_once(
        client, people, act):
    original = await qltt_case(client)
    await Case.filter(id=original.id).update(status="resolved", public_outcome="Đã xử lý xong.")
    await post_report(client, {**VALID_REPORT, **REPORTER, "product_name": "Báo lại"})
    duplicate = await Case.get(product_name="Báo lại")
    await act(duplicate, people["officer"], "mark_duplicate",
              duplicate_of=original.tracking_code, reason="Đã xử lý rồi.")
    notice = await OutboxMessage.get(kind="resolution_notice", case_id=duplicate.id)
    assert "Đã xử lý xong." in notice.body_text


async def test_triage_has_its_own_deadline_of_two_working_days(client, people, app):
    case = await triage_case(client)
    service = app.state.intake.reference.service_levels
    assert case.triage_due_at == service.add_working_days(case.created_at, 2)
    assert (await queue_page(people["officer"], QueueFilters(overdue=True))).total == 0
    await Case.filter(id=case.id).update(triage_due_at=dt.datetime.now(dt.UTC) - dt.timedelta(
        minutes=1))
    assert (await queue_page(people["officer"], QueueFilters(overdue=True))).total == 1


async def test_triage_to_an_agency_with_longer_times_moves_the_due_date(client, people, act, app):
    # Substandard goods take 20 working days at khcn (config/sla.toml), 15 elsewhere.
    await post_report(client, {**VALID_REPORT, "category": "substandard"})
    case = await Case.get()
    service = app.state.intake.reference.service_levels
    assert case.agency_code == "khcn"
    assert case.due_at == service.add_working_days(case.created_at, 20)
    # Had no rule routed it, it would have had the general 15 days until an officer triaged it.
    await Case.filter(id=case.id).update(agency_code=None, due_at=service.add_working_days(
        case.created_at, 15))
    case = await act(case, people["officer"], "triage", agency_code="khcn")
    assert case.due_at == service.add_working_days(case.created_at, 20)
