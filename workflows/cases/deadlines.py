"""When a case, or a supporting agency's task, is overdue: one definition for the queue, the
digest and the case page. A waiting case's clock is stopped, so it is never overdue."""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q, Subquery

from workflows.cases.models import Case, CaseSupport
from workflows.cases.states import OPEN_STATES


def past_due(case: Case, now: dt.datetime) -> bool:
    """Open, its clock running, and past the date it must be resolved by."""
    return (case.status in OPEN_STATES and case.paused_at is None and case.due_at is not None
            and case.due_at < now)


def past_triage(case: Case, now: dt.datetime) -> bool:
    """Still waiting for an officer past the triage deadline."""
    return case.status == "received" and case.triage_due_at is not None and (
        case.triage_due_at < now)


def task_past_due(task: CaseSupport, now: dt.datetime) -> bool:
    return task.status == "open" and task.due_at < now


def past_due_condition(now: dt.datetime) -> Q:
    """`past_due` as a query. (The "open" first lets the database count from the status
    index instead of reading every case.)"""
    return Q(Q(status__in=sorted(OPEN_STATES)), Q(due_at__lt=now), Q(paused_at__isnull=True))


def overdue_condition(now: dt.datetime, task_agency: str | None) -> Q:
    """Past due, past triage, or holding a supporting task past its own date (of
    `task_agency`; any agency's when None)."""
    late_tasks = CaseSupport.filter(status="open", due_at__lt=now)
    if task_agency is not None:
        late_tasks = late_tasks.filter(agency_code=task_agency)
    return Q(Q(status__in=sorted(OPEN_STATES)),
             Q(Q(due_at__lt=now), Q(paused_at__isnull=True))
             | Q(Q(status="received"), Q(triage_due_at__lt=now))
             | Q(id__in=Subquery(late_tasks.values("case_id"))))
