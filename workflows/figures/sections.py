"""The report as titled sections of lines, in the reader's language: one source for every file
format. Labels are gettext ids; the steering committee's files are Vietnamese."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workflows.figures.statistics import Figures, PeriodReport
from workflows.i18n.messages import N_
from workflows.i18n.translations import Labelled, Translator
from workflows.reference import catalog
from workflows.reference.agencies import Agency


@dataclass(frozen=True)
class Line:
    label: str
    current: float | int | None
    previous: float | int | None
    money: bool = False
    percent: bool = False  # a share in %: its change is in percentage points

    @property
    def change(self) -> float | int | None:
        if self.current is None or self.previous is None:
            return None
        return round(self.current - self.previous, 4)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[Line]


NOT_WITH_AN_AGENCY = N_("Not with an agency yet (awaiting triage)")
# A code kept by old cases after its agency or category left config/ (a merger, a rename):
# still counted, under its code, so every total still adds up.
RETIRED = N_("{code} (no longer in the list)")
UNKNOWN = N_("(unknown)")


def code_label(words: Translator, terms: Iterable[Labelled], code: str, empty: str) -> str:
    """The label of a code among `terms`; `empty` for no code; a retired code marked so."""
    if not code:
        return words.gettext(empty)
    if any(term.code == code for term in terms):
        return words.label(terms, code)
    return words(RETIRED, {"code": code})


def _share(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


HEADLINE: tuple[tuple[str, Callable[[Figures], Any], bool], ...] = (
    (N_("Reports received"), lambda f: f.received, False),
    (N_("Sold online (%)"), lambda f: _share(f.online_share), False),
    (N_("Resolved in the period"), lambda f: f.resolved, False),
    (N_("Resolved in time"), lambda f: f.resolved_in_time, False),
    (N_("Resolved in time (%)"), lambda f: _share(f.in_time_share), False),
    (N_("Days to resolve (median)"), lambda f: f.median_days, False),
    (N_("Days to resolve (90th percentile)"), lambda f: f.p90_days, False),
    (N_("Violation confirmed"), lambda f: f.outcomes.get("violation_confirmed", 0), False),
    (N_("Referred to another authority"), lambda f: f.outcomes.get("referred", 0), False),
    (N_("Fines in total"), lambda f: f.fines_vnd, True),
    (N_("Kinds of goods seized"), lambda f: f.seized_quantity, False),
    (N_("Value of seized goods"), lambda f: f.seized_value_vnd, True),
    (N_("Reporters' answers on outcomes"), lambda f: f.answers, False),
    (N_("Reporters satisfied (%)"), lambda f: _share(f.satisfied_share), False),
)
PERCENT_LINES = frozenset(label for label, _, _ in HEADLINE if label.endswith("(%)"))
STATUS_AT_END: tuple[tuple[str, Callable[[Figures], int]], ...] = (
    (N_("Resolved by the end of the period"), lambda f: f.settled_by_end),
    (N_("Rejected"), lambda f: f.rejected),
    (N_("Still open at the end of the period"), lambda f: f.open_at_end),
)
# (breakdown, section title, the vocabulary of its codes; None: agencies or free text)
BREAKDOWNS: tuple[tuple[str, str, tuple[catalog.Term, ...] | None], ...] = (
    ("category", N_("By category"), catalog.CATEGORIES),
    ("agency_code", N_("By agency"), None),
    ("commune", N_("By commune or ward"), None),
    ("product_group", N_("By kind of product"), catalog.PRODUCT_GROUPS),
    ("sales_channel", N_("By where it was sold"), catalog.SALES_CHANNELS),
    ("intake_channel", N_("By how it was received"), catalog.INTAKE_CHANNELS),
)


def sections(report: PeriodReport, agencies: dict[str, Agency], words: Translator) -> list[Section]:
    now, before = report.current, report.previous

    def key_label(breakdown: str, terms: tuple[catalog.Term, ...] | None, code: str) -> str:
        if breakdown == "agency_code":
            return code_label(words, agencies.values(), code, NOT_WITH_AN_AGENCY)
        if terms is None:
            return code or words.gettext(UNKNOWN)
        return code_label(words, terms, code, UNKNOWN)

    def breakdown(key: str, title: str, terms: tuple[catalog.Term, ...] | None) -> Section:
        # Cases awaiting triage have no agency: their line comes last, apart, never ranked
        # among the agencies.
        keys = sorted(set(now.by[key]) | set(before.by[key]),
                      key=lambda k: (key == "agency_code" and k == "", -now.by[key].get(k, 0), k))
        return Section(key, words.gettext(title), [
            Line(key_label(key, terms, k), now.by[key].get(k, 0), before.by[key].get(k, 0))
            for k in keys])

    def satisfaction(key: str, title: str, terms: tuple[catalog.Term, ...] | None) -> Section:
        """The share of satisfied reporters per agency or category (answers in the label)."""
        now_by, before_by = now.satisfaction.get(key, {}), before.satisfaction.get(key, {})
        keys = sorted(set(now_by) | set(before_by), key=lambda k: (-now_by.get(k, (0, 0))[0], k))

        def share(counts: tuple[int, int] | None) -> float | None:
            return round(100 * counts[1] / counts[0], 1) if counts and counts[0] else None

        return Section(f"satisfaction_{key}", words.gettext(title), [
            Line(f"{key_label(key, terms, k)} ({now_by.get(k, (0, 0))[0]})",
                 share(now_by.get(k)), share(before_by.get(k))) for k in keys])

    def top(title: str, key: str, pick: Callable[[Figures], Sequence[tuple[Any, ...]]]) -> Section:
        earlier = {row[:-1]: row[-1] for row in pick(before)}
        earlier.update(report.earlier_tops.get(key, {}))
        return Section(key, words.gettext(title), [
            Line(" · ".join(row[:-1]), row[-1], earlier.get(row[:-1], 0)) for row in pick(now)])

    return [
        Section("summary", words.gettext(N_("Summary")), [
            Line(words.gettext(label), pick(now), pick(before), money, label in PERCENT_LINES)
            for label, pick, money in HEADLINE]),
        *(breakdown(key, title, terms) for key, title, terms in BREAKDOWNS),
        Section("status", words.gettext(N_("Status at the end of the period")), [
            Line(words.gettext(label), pick(now), pick(before)) for label, pick in STATUS_AT_END]),
        Section("outcomes", words.gettext(N_("Outcomes")), [
            Line(words.gettext(term.label), now.outcomes.get(term.code, 0),
                 before.outcomes.get(term.code, 0)) for term in catalog.OUTCOMES]),
        top(N_("Brands reported most"), "brands", lambda f: f.top_brands),
        top(N_("Products reported most"), "products", lambda f: f.top_products),
        top(N_("Shops reported most"), "shops", lambda f: f.top_shops),
        satisfaction("agency_code", N_("Reporters satisfied (%), by agency (answers)"), None),
        satisfaction("category", N_("Reporters satisfied (%), by category (answers)"),
                     catalog.CATEGORIES),
        *([campaign_section(*report.campaign, words)] if report.campaign is not None else []),
    ]


CAMPAIGN_TITLE = N_("The campaign: suggestions and Vietnamese goods recommended")


def campaign_section(now: dict[str, int], before: dict[str, int], words: Translator) -> Section:
    """What citizens sent the campaign that was not a complaint, by kind, with the total."""
    return Section("campaign", words.gettext(CAMPAIGN_TITLE), [
        *(Line(words.label(catalog.CAMPAIGN_KINDS, term.code), now.get(term.code, 0),
               before.get(term.code, 0)) for term in catalog.CAMPAIGN_KINDS),
        Line(words.gettext(N_("In all")), sum(now.values()), sum(before.values()))])
