"""When a case, a supporting agency's task, or a business's explanation is overdue: one
definition for the queue, the digest and the case page. A waiting case's clock is stopped, so
it is never overdue itself; an explanation it waits for can be."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from workflows.cases.models import Case, CaseSupport
from workflows.cases.states import OPEN_STATES
from workflows.parties.models import ExplanationRequest


def past_due(case: Case, now: dt.datetime) -> bool:
    """Open, its clock running, and past the date it must be resolved by."""
    return (case.status in OPEN_STATES and case.paused_at is None and case.due_at is not None
            and case.due_at < now)


def days_overdue(due_at: dt.datetime | None, now: dt.datetime) -> int:
    """Whole days past a due time, as staff count them ("quá hạn 3 ngày"); 0 when not past."""
    if due_at is None or due_at >= now:
        return 0
    return max(1, (now - due_at).days)


def past_triage(case: Case, now: dt.datetime) -> bool:
    """Still waiting for an officer past the triage deadline."""
    return case.status == "received" and case.triage_due_at is not None and (
        case.triage_due_at < now)


def task_past_due(task: CaseSupport, now: dt.datetime) -> bool:
    return task.status == "open" and task.due_at < now


def explanation_past_due(request: ExplanationRequest, now: dt.datetime) -> bool:
    """Neither answered nor withdrawn by its deadline."""
    return request.answered_at is None and request.withdrawn_at is None and request.due_at < now


def _late_explanations(now: dt.datetime) -> QuerySet[ExplanationRequest]:
    return ExplanationRequest.filter(answered_at__isnull=True, withdrawn_at__isnull=True,
                                     due_at__lt=now)


async def late_explanations(connection: BaseDBAsyncClient | None, case_ids: Sequence[int],
                            now: dt.datetime) -> set[int]:
    """Which of these cases wait for an explanation past its deadline."""
    if not case_ids:
        return set()
    found = await _late_explanations(now).filter(case_id__in=list(case_ids)).using_db(
        connection).values_list("case_id", flat=True)
    return {int(str(case_id)) for case_id in found}


def past_due_condition(now: dt.datetime) -> Q:
    """`past_due` as a query. (The "open" first lets the database count from the status
    index instead of reading every case.)"""
    return Q(Q(status__in=sorted(OPEN_STATES)), Q(due_at__lt=now), Q(paused_at__isnull=True))


def explanation_late_condition(now: dt.datetime) -> Q:
    """Open, and waiting for a business's explanation past its deadline."""
    late = _late_explanations(now)
    return Q(Q(status__in=sorted(OPEN_STATES)), Q(id__in=Subquery(late.values("case_id"))))


def overdue_condition(now: dt.datetime, task_agency: str | None) -> Q:
    """Past due, past triage, holding a supporting task past its own date (of `task_agency`;
    any agency's when None), or waiting for an explanation past its deadline (asked by the
    agency handling the case: `task_agency`'s own cases only, when given)."""
    late_tasks = CaseSupport.filter(status="open", due_at__lt=now)
    if task_agency is not None:
        late_tasks = late_tasks.filter(agency_code=task_agency)
    late_explanation = Q(id__in=Subquery(_late_explanations(now).values("case_id")))
    if task_agency is not None:
        late_explanation = Q(late_explanation, Q(agency_code=task_agency))
    return Q(Q(status__in=sorted(OPEN_STATES)),
             Q(Q(due_at__lt=now), Q(paused_at__isnull=True))
             | Q(Q(status="received"), Q(triage_due_at__lt=now))
             | Q(id__in=Subquery(late_tasks.values("case_id")))
             | late_explanation)
