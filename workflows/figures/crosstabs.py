"""The report's cross-tables: reports received by category × agency and by category × commune
or ward, and what the agencies found and did (cases resolved, violations confirmed, fines,
value of goods seized) by agency and by category. Each is one GROUP BY over two columns in the
database, like every other figure; a case still awaiting triage has no agency, and stays its
own line ("" here), never counted as an agency."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from workflows.cases.models import Case
from workflows.reference.reporting import Period

AWAITING_TRIAGE = ""  # the agency of a case no agency handles yet


@dataclass(frozen=True)
class Done:
    """What was done on the cases resolved in the period, in one group."""

    resolved: int = 0
    violations: int = 0
    fines_vnd: int = 0
    seized_value_vnd: int = 0


@dataclass(frozen=True)
class CrossTables:
    by_category_agency: dict[tuple[str, str], int] = field(default_factory=dict)
    by_category_commune: dict[tuple[str, str], int] = field(default_factory=dict)
    done_by_agency: dict[str, Done] = field(default_factory=dict)
    done_by_category: dict[str, Done] = field(default_factory=dict)

    def received(self, category: str | None = None, agency: str | None = None) -> int:
        """A row's, a column's or the whole table's sum of reports received."""
        return sum(count for (row, column), count in self.by_category_agency.items()
                   if category in (None, row) and agency in (None, column))


def _scope(period: Period, agency_code: str | None, date_field: str) -> QuerySet[Case]:
    cases = Case.filter(**{f"{date_field}__gte": period.start, f"{date_field}__lt": period.end})
    return cases.filter(agency_code=agency_code) if agency_code else cases


async def _pairs(received: QuerySet[Case], first: str, second: str) -> dict[tuple[str, str], int]:
    rows = await (received.annotate(n=Count("created_at")).group_by(first, second)
                  .values_list(first, second, "n"))
    return {(str(a or ""), str(b or "")): int(n) for a, b, n in rows}


async def _done(resolved: QuerySet[Case], column: str) -> dict[str, Done]:
    totals = await (resolved.annotate(n=Count("resolved_at"), fines=Sum("fine_vnd"),
                                      seized=Sum("seized_value_vnd"))
                    .group_by(column).values_list(column, "n", "fines", "seized"))
    violations = dict(await (resolved.filter(outcome="violation_confirmed")
                             .annotate(n=Count("resolved_at")).group_by(column)
                             .values_list(column, "n")))
    return {str(key or ""): Done(int(n), int(violations.get(key, 0)), int(fines or 0),
                                 int(seized or 0))
            for key, n, fines, seized in totals}


async def cross_tables(period: Period, agency_code: str | None = None) -> CrossTables:
    received = _scope(period, agency_code, "created_at")
    resolved = _scope(period, agency_code, "resolved_at")
    return CrossTables(
        by_category_agency=await _pairs(received, "category", "agency_code"),
        by_category_commune=await _pairs(received, "category", "commune"),
        done_by_agency=await _done(resolved, "agency_code"),
        done_by_category=await _done(resolved, "category"),
    )
