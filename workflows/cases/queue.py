"""A staff member's case queue: filtered, sorted, paginated, with counts per open status.

One query for the page and one for the counts, whatever the page size: no query per case.
Only open cases are counted (and a closed status when it is the one shown): the work to do is
a small part of a million cases, and counting every closed case would read them all on every
page view.

Pages follow each other by keyset ("newer / older"): the next page starts after the last row's
sort key, so page 200 costs what page 2 does, where OFFSET read and dropped every row before
it. Page numbers stay for orientation; a number typed into the address opens by OFFSET, up to
MAX_PAGE.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from workflows.access.models import StaffUser
from workflows.access.roles import OFFICER
from workflows.access.visibility import visible_cases, visible_parts
from workflows.cases.deadlines import late_explanations, overdue_condition
from workflows.cases.field_kinds import bounded_int
from workflows.cases.models import Case, CaseFeedback, CaseSupport
from workflows.cases.search import search_condition
from workflows.cases.states import OPEN_STATES
from workflows.reference.catalog import (
    CATEGORY_CODES,
    INTAKE_CHANNELS,
    PRODUCT_GROUP_CODES,
    SALES_CHANNEL_CODES,
    STATUSES,
    codes,
)

PER_PAGE = 25
MAX_CASE_ID = 2**31 - 1  # the id column's range
# A page opened by its number reads the rows before it (OFFSET): beyond this, use "Next".
MAX_PAGE = 10
SORTS = {"due": ("due_at", "id"), "newest": ("-created_at", "-id"), "oldest": ("created_at", "id")}


@dataclass(frozen=True)
class Cursor:
    """Where a page starts or ends: one row's sort key (its time and id). In the address as
    "<ISO time>_<id>"."""

    moment: dt.datetime
    case_id: int

    def __str__(self) -> str:
        return f"{self.moment.astimezone(dt.UTC).isoformat()}_{self.case_id}"

    @classmethod
    def parse(cls, text: str) -> Cursor | None:
        """None for anything not made by __str__ (a stale or edited address opens page 1)."""
        moment, _, case_id = text.rpartition("_")
        if not (case_id.isascii() and case_id.isdigit()) or int(case_id) > MAX_CASE_ID:
            return None
        try:
            parsed = dt.datetime.fromisoformat(moment)
            if parsed.tzinfo is None:
                return None
            return cls(parsed.astimezone(dt.UTC), int(case_id))  # compared as UTC text on SQLite
        except (ValueError, OverflowError):  # "0001-01-01T00:00+23:59" is before year 1 in UTC
            return None

    @classmethod
    def of(cls, case: Case, sort: str) -> Cursor | None:
        moment = getattr(case, SORTS[sort][0].lstrip("-"))
        return None if moment is None else cls(moment, case.id)
STATUS_CODES = codes(STATUSES)
INTAKE_CHANNEL_CODES = codes(INTAKE_CHANNELS)


def printable(typed: str) -> str:
    """What a filter may compare: no control characters (PostgreSQL refuses a NUL outright)."""
    return "".join(char for char in typed if char.isprintable()).strip()


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # "": the open cases (the work to do); "all": every case; or one status
    category: str = ""
    product_group: str = ""
    channel: str = ""
    commune: str = ""
    intake_channel: str = ""
    triage_only: bool = False
    mine: bool = False
    overdue: bool = False
    new_info: bool = False  # the reporter added something not yet opened by the agency
    review: bool = False  # the reporter asked for a review of the outcome (any status)
    search: str = ""
    sort: str = "due"
    page: int = 1
    after: Cursor | None = None  # the page after this row ("Next")
    before: Cursor | None = None  # the page before this row ("Previous")

    @classmethod
    def from_query(cls, query: dict[str, str]) -> QueueFilters:
        """Unknown values are ignored rather than refused: a stale bookmark still opens."""
        def pick(name: str, allowed: frozenset[str]) -> str:
            value = query.get(name, "")
            return value if value in allowed else ""

        page = query.get("page", "1")
        review = query.get("review") == "1"
        return cls(
            status="all" if review else pick("status", STATUS_CODES | {"all"}),
            category=pick("category", CATEGORY_CODES),
            product_group=pick("product_group", PRODUCT_GROUP_CODES),
            channel=pick("channel", SALES_CHANNEL_CODES),
            commune=printable(query.get("commune", ""))[:100],
            intake_channel=pick("intake_channel", INTAKE_CHANNEL_CODES),
            triage_only=query.get("queue") == "triage",
            mine=query.get("mine") == "1",
            overdue=query.get("overdue") == "1",
            new_info=query.get("new_info") == "1",
            review=review,
            search=" ".join(printable(query.get("q", "")).split())[:100],
            sort=query.get("sort") if query.get("sort") in SORTS else "due",  # type: ignore[arg-type]
            page=max(1, bounded_int(page, 5) or 1),
            after=Cursor.parse(query.get("after", "")[:60]),
            before=Cursor.parse(query.get("before", "")[:60]),
        )


@dataclass(frozen=True)
class QueuePage:
    cases: list[Case]
    total: int
    page: int
    pages: int
    status_counts: dict[str, int]  # each open status, and the status shown if closed
    now: dt.datetime
    # The user's agency's own task on listed cases it supports (rather than leads), by case id.
    supports: dict[int, CaseSupport]
    reviews: set[int]  # listed cases whose reporter asks for a review of the outcome
    next_after: Cursor | None = None  # "Next" opens the page after this row; None: last page
    previous_before: Cursor | None = None  # "Previous" opens the page before it; None: first
    # Without a cursor (a row without the sort key) the pages go by number.
    by_number: bool = False
    late_explanations: set[int] = field(default_factory=set)  # listed, a business's answer late

    @property
    def more_by_number(self) -> bool:
        """A next page that a page number can still open."""
        return self.page < min(self.pages, MAX_PAGE)

    @property
    def open_count(self) -> int:
        return sum(count for status, count in self.status_counts.items() if status in OPEN_STATES)


def pending_reviews() -> QuerySet[CaseFeedback]:
    return CaseFeedback.filter(review="pending")


def _overdue(user: StaffUser, now: dt.datetime) -> Q:
    """Overdue work: an officer sees every late supporting task, an agency its own."""
    return overdue_condition(now, None if user.role == OFFICER else user.agency_code or "")


def _mine(user: StaffUser) -> Q:
    tasks = CaseSupport.filter(assignee_id=user.id, status="open").values("case_id")
    return Q(assignee_id=user.id) | Q(id__in=Subquery(tasks))


def filtered_cases(user: StaffUser, filters: QueueFilters, now: dt.datetime,
                   base: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases the user may see (or those of `base`) that match the filters (every
    status)."""
    base = visible_cases(user) if base is None else base
    for column, value in (("category", filters.category), ("product_group", filters.product_group),
                          ("sales_channel", filters.channel), ("commune", filters.commune),
                          ("intake_channel", filters.intake_channel)):
        if value:
            base = base.filter(**{column: value})
    if filters.triage_only:
        base = base.filter(agency_code__isnull=True)
    if filters.overdue:
        base = base.filter(_overdue(user, now))
    if filters.mine:
        base = base.filter(_mine(user))
    if filters.new_info:
        base = base.filter(new_info_at__isnull=False)
    if filters.review:
        base = base.filter(id__in=Subquery(pending_reviews().values("case_id")))
    if filters.search:
        open_only = filters.status in OPEN_STATES or not filters.status
        base = base.filter(search_condition(filters.search, Case._meta.db.capabilities.dialect,
                                            open_only))
    return base


def _in_status(cases: QuerySet[Case], status: str) -> QuerySet[Case]:
    if status == "all":
        return cases
    return cases.filter(status__in=sorted(OPEN_STATES)) if not status else cases.filter(
        status=status)


def listing(cases: QuerySet[Case], filters: QueueFilters, page: int) -> QuerySet[Case]:
    """One page by its number (OFFSET): the first pages, or a number typed in."""
    listed = _in_status(cases, filters.status)
    return listed.order_by(*SORTS[filters.sort]).offset((page - 1) * PER_PAGE).limit(
        PER_PAGE).select_related("assignee")


def _beyond(cursor: Cursor, field: str, later: bool) -> Q:
    """Rows after (`later`) or before the cursor in (field, id) order. The first, redundant
    bound lets the index start at the cursor instead of filtering every row up to it."""
    op = "gt" if later else "lt"
    bound = "gte" if later else "lte"
    at: dict[str, Any] = {f"{field}__{bound}": cursor.moment}
    past: dict[str, Any] = {f"{field}__{op}": cursor.moment}
    tie: dict[str, Any] = {f"id__{op}": cursor.case_id}
    return Q(**at) & (Q(**past) | Q(**tie))


async def keyset_listing(cases: QuerySet[Case], filters: QueueFilters,
                         ) -> tuple[list[Case], bool]:
    """The page after `filters.after` or before `filters.before`, in the page's order, and
    whether there are rows beyond it in the direction travelled."""
    order: tuple[str, ...] = SORTS[filters.sort]
    field = order[0].lstrip("-")
    descending = order[0].startswith("-")
    forward = filters.after is not None
    cursor = filters.after or filters.before
    assert cursor is not None
    later = forward != descending  # the rows wanted lie later in time than the cursor
    listed = _in_status(cases, filters.status).filter(_beyond(cursor, field, later))
    if not forward:  # read backwards from the cursor, then put the page back in order
        order = tuple(key[1:] if key.startswith("-") else f"-{key}" for key in order)
    rows = await listed.order_by(*order).limit(PER_PAGE + 1).select_related("assignee")
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    return (rows if forward else rows[::-1]), more


async def queue_page(user: StaffUser, filters: QueueFilters) -> QueuePage:
    now = dt.datetime.now(dt.UTC)
    base = filtered_cases(user, filters, now)
    counted = OPEN_STATES | ({filters.status} if filters.status not in ("", "all") else set())
    counts: dict[str, int] = {}
    for part in visible_parts(user):
        for status, count in await (filtered_cases(user, filters, now, part)
                                    .filter(status__in=sorted(counted))
                                    # COUNT(status), not COUNT(id): read from the index alone
                                    .annotate(count=Count("status")).group_by("status")
                                    .values_list("status", "count")):
            counts[status] = counts.get(status, 0) + count
    if filters.status == "all":  # asked for: every case, counted once
        total = await base.count()
    else:
        total = sum(count for status, count in counts.items()
                    if status == filters.status or (not filters.status and status in OPEN_STATES))
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(filters.page, pages)
    if filters.after or filters.before:
        cases, more = await keyset_listing(base, filters)
        if filters.after:
            has_next, has_previous = more, True
        else:
            has_next, has_previous = True, more
        page = page if has_previous else 1
        if not cases:  # the rows beyond the cursor were settled meanwhile: the first page
            page, cases = 1, await listing(base, filters, 1)
            has_next, has_previous = pages > 1, False
    else:
        page = min(page, MAX_PAGE)
        cases = await listing(base, filters, page)
        has_next, has_previous = page < pages, page > 1
    by_number = any(Cursor.of(case, filters.sort) is None for case in cases)
    next_after = Cursor.of(cases[-1], filters.sort) if cases and has_next else None
    previous_before = Cursor.of(cases[0], filters.sort) if cases and has_previous else None
    supports = {}
    if user.agency_code and any(case.agency_code != user.agency_code for case in cases):
        supports = {support.case_id: support  # type: ignore[attr-defined]
                    for support in await CaseSupport.filter(
                        agency_code=user.agency_code, case_id__in=[case.id for case in cases])}
    reviews: list[int] = await pending_reviews().filter(
        case_id__in=[case.id for case in cases]).values_list(
        "case_id", flat=True) if cases else []  # type: ignore[assignment]
    return QueuePage(cases, total, page, pages, counts, now, supports, set(reviews), next_after,
                     previous_before, by_number,
                     await late_explanations(None, [case.id for case in cases], now))
