"""The report's cross-tables: reports received by category × agency and by category × commune
or ward, and what the agencies found and did (cases resolved, violations confirmed, fines,
value of goods seized) by agency and by category, made from the period's tallies like every
other figure (workflows.figures.tallies); a case still awaiting triage has no agency, and stays its
own line ("" here), never counted as an agency."""

from __future__ import annotations

from dataclasses import dataclass, field

from workflows.figures.tallies import Tallies

AWAITING_TRIAGE = ""  # the agency of a case no agency handles yet
VIOLATION = "violation_confirmed"


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


def tables_of(tallies: Tallies) -> CrossTables:
    """The cross-tables from a period's tallies (workflows.figures.tallies)."""
    done_by: dict[str, dict[str, list[int]]] = {"agency": {}, "category": {}}
    for (_, agency, category, outcome), (n, fines, _, value) in tallies.of("done"):
        for group, key in (("agency", agency), ("category", category)):
            totals = done_by[group].setdefault(key, [0, 0, 0, 0])
            violation = n if outcome == VIOLATION else 0
            for index, amount in enumerate((n, violation, fines, value)):
                totals[index] += amount
    return CrossTables(
        by_category_agency=tallies.pairs("category", 2, 1),
        by_category_commune=tallies.pairs("category_commune", 2, 3),
        done_by_agency={key: Done(*sums) for key, sums in done_by["agency"].items() if any(sums)},
        done_by_category={key: Done(*sums) for key, sums in done_by["category"].items()
                          if any(sums)},
    )

