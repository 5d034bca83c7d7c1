"""The formal report's tables, in the reader's language: the summary, status and outcomes of the
report itself, and the appendices — each breakdown, the cross-tables (category × agency,
category × commune or ward, what was done by agency and by category), the most reported, the
reporters' satisfaction. Cases awaiting triage are their own column or line, never an agency."""

from __future__ import annotations

from dataclasses import dataclass, field

from workflows.figures.crosstabs import AWAITING_TRIAGE, CrossTables, Done
from workflows.figures.sections import (
    NOT_WITH_AN_AGENCY,
    UNKNOWN,
    Line,
    Section,
    code_label,
    sections,
)
from workflows.figures.statistics import PeriodReport
from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.reference import catalog
from workflows.reference.agencies import Agency
from workflows.reference.reporting import period_title

IN_THE_REPORT = frozenset({"summary", "status", "outcomes"})
DONE_COLUMNS = (N_("Resolved"), N_("Violations confirmed"), N_("Fines (đồng)"),
                N_("Value of goods seized (đồng)"))
DONE_KINDS = ["n", "n", "vnd", "vnd"]


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    kinds: list[list[str]] = field(default_factory=list)  # per row, per number column
    total: list[object] | None = None
    label_columns: int = 2  # No. and the label
    empty: str = ""  # said under the header when there are no rows (a blank table reads as lost)

    def add(self, values: list[object], kinds: list[str], total: bool = False) -> None:
        self.rows.append(values)
        self.kinds.append(kinds)
        if total:
            self.total = values


def _kind(line: Line) -> str:
    return "vnd" if line.money else "%" if line.percent else "n"


def _comparison(section: Section, report: PeriodReport, words: Translator) -> Table:
    table = Table(section.title, [words(N_("No.")), words(N_("Item")),
                                  period_title(report.period, words),
                                  period_title(report.previous_period, words),
                                  words(N_("Change"))], empty=words(N_("No figures in the period.")))
    for number, line in enumerate(section.lines, start=1):
        kind = _kind(line)
        table.add([number, line.label, line.current, line.previous, line.change],
                  [kind, kind, "pp" if line.percent else kind])
    return table


def summary_tables(report: PeriodReport, agencies: dict[str, Agency],
                   words: Translator) -> list[Table]:
    return [_comparison(section, report, words) for section in sections(report, agencies, words)
            if section.key in IN_THE_REPORT]


def _agency_columns(tables: CrossTables, agencies: dict[str, Agency],
                    agency_code: str | None) -> list[str]:
    """The report's agency (one agency's report) or every agency, then any retired code old
    cases still carry, then the cases awaiting triage when there are any."""
    found = {agency for _, agency in tables.by_category_agency} | set(tables.done_by_agency)
    configured = [agency_code] if agency_code else list(agencies)
    retired = sorted(found - set(configured) - {AWAITING_TRIAGE})
    return [*configured, *retired, *([AWAITING_TRIAGE] if AWAITING_TRIAGE in found else [])]


def _category_codes(tables: CrossTables) -> list[str]:
    """Every category of the catalogue, then any retired category old cases still carry."""
    found = ({category for category, _ in tables.by_category_agency}
             | {category for category, _ in tables.by_category_commune}
             | set(tables.done_by_category))
    listed = [term.code for term in catalog.CATEGORIES]
    return [*listed, *sorted(found - set(listed))]


def _agency_name(code: str, agencies: dict[str, Agency], words: Translator) -> str:
    return code_label(words, agencies.values(), code, NOT_WITH_AN_AGENCY)


def _category_name(code: str, words: Translator) -> str:
    return code_label(words, catalog.CATEGORIES, code, UNKNOWN)


def _category_by_agency(tables: CrossTables, agencies: dict[str, Agency],
                        agency_code: str | None, words: Translator) -> Table:
    columns = _agency_columns(tables, agencies, agency_code)
    table = Table(words(N_("Reports received by category and agency")),
                  [words(N_("No.")), words(N_("Category")),
                   *(_agency_name(code, agencies, words) for code in columns),
                   words(N_("Total"))])
    kinds = ["n"] * (len(columns) + 1)
    for number, category in enumerate(_category_codes(tables), start=1):
        counts = [tables.by_category_agency.get((category, code), 0) for code in columns]
        table.add([number, _category_name(category, words), *counts, sum(counts)], kinds)
    totals = [tables.received(agency=code) for code in columns]
    table.add(["", words(N_("Total")), *totals, sum(totals)], kinds, total=True)
    return table


def _category_by_commune(tables: CrossTables, words: Translator) -> Table:
    communes: dict[str, int] = {}
    for (_, commune), count in tables.by_category_commune.items():
        communes[commune] = communes.get(commune, 0) + count
    categories = _category_codes(tables)
    table = Table(words(N_("Reports received by commune or ward and category")),
                  [words(N_("No.")), words(N_("Commune or ward")),
                   *(_category_name(code, words) for code in categories), words(N_("Total"))])
    kinds = ["n"] * (len(categories) + 1)
    ordered = sorted(communes, key=lambda name: (name == "", -communes[name], name))
    for number, commune in enumerate(ordered, start=1):
        counts = [tables.by_category_commune.get((code, commune), 0) for code in categories]
        table.add([number, commune or words(UNKNOWN), *counts, sum(counts)], kinds)
    totals = [sum(count for (category, _), count in tables.by_category_commune.items()
                  if category == code) for code in categories]
    table.add(["", words(N_("Total")), *totals, sum(totals)], kinds, total=True)
    return table


def _done(title: str, label: str, keyed: dict[str, Done], keys: list[tuple[str, str]],
          words: Translator) -> Table:
    table = Table(words(title), [words(N_("No.")), words(label),
                                 *(words(column) for column in DONE_COLUMNS)])
    for number, (key, name) in enumerate(keys, start=1):
        done = keyed.get(key, Done())
        table.add([number, name, done.resolved, done.violations, done.fines_vnd,
                   done.seized_value_vnd], DONE_KINDS)
    every = list(keyed.values())
    table.add(["", words(N_("Total")), sum(d.resolved for d in every),
               sum(d.violations for d in every), sum(d.fines_vnd for d in every),
               sum(d.seized_value_vnd for d in every)], DONE_KINDS, total=True)
    return table


def appendices(report: PeriodReport, tables: CrossTables, agencies: dict[str, Agency],
               words: Translator) -> list[Table]:
    listed = [section for section in sections(report, agencies, words)
              if section.key not in IN_THE_REPORT]
    agency_keys = [(code, _agency_name(code, agencies, words))
                   for code in _agency_columns(tables, agencies, report.agency_code)]
    category_keys = [(code, _category_name(code, words)) for code in _category_codes(tables)]
    return [
        *(_comparison(section, report, words) for section in listed[:6]),
        _category_by_agency(tables, agencies, report.agency_code, words),
        _category_by_commune(tables, words),
        _done(N_("What was done, by agency"), N_("Agency"), tables.done_by_agency, agency_keys,
              words),
        _done(N_("What was done, by category"), N_("Category"), tables.done_by_category,
              category_keys, words),
        *(_comparison(section, report, words) for section in listed[6:]),
    ]
