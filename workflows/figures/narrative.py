"""The report's body drafted in sentences, in the plans' structure: I. the situation (received,
by kind, agency, commune and channel, against the period before), II. the results (handled, in
time and late, outcomes, fines, seizures, the most reported brands and shops, the reporters'
answers). III and IV (shortcomings, direction) are the committee's to write: left empty here.

Each number comes from the period's Figures and its sections, the very values the appendices
print, so a sentence and its table cannot disagree."""

from __future__ import annotations

from workflows.figures.sections import Section, sections
from workflows.figures.statistics import Figures, PeriodReport
from workflows.i18n import formatting
from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.reference.agencies import Agency
from workflows.reference.reporting import period_span, period_title

Paragraphs = tuple[list[str], list[str], list[str], list[str]]

CAMPAIGN = N_("Besides complaints, citizens sent the campaign {received} suggestions and "
              "recommendations of Vietnamese goods: {items}.")
RECEIVED = N_("In the period ({span}) {received} reports were received, {change} compared "
              "with {previous} ({previous_count} reports).")
NONE_RECEIVED = N_("No report was received in the period ({span}).")
MORE = N_("{count} more ({percent}%)")
MORE_FROM_NONE = N_("{count} more")
FEWER = N_("{count} fewer ({percent}%)")
SAME = N_("as many")
SAME_PERIOD = N_("the same period of {year}")
BREAKDOWN = N_("{title}: {items}.")
MOST_LISTED = 5
OTHERS = N_("others {count}")
RESOLVED = N_("{resolved} reports were resolved in the period, {in_time} of them in time "
              "({share}%) and {late} late; the median time to resolve was {median} days.")
ALL_IN_TIME = N_("{resolved} reports were resolved in the period, all of them in time; the "
                 "median time to resolve was {median} days.")
NONE_RESOLVED = N_("No report was resolved in the period.")
STATUS = N_("Of the reports received in the period, {settled} were settled and {open} were "
            "still being handled at its end; {rejected} were not taken up.")
ENFORCEMENT = N_("Violations were confirmed in {violations} cases and {referred} were referred "
                 "to another authority; fines totalled {fines}, and {seized} kinds of goods "
                 "worth {seized_value} were seized or confiscated.")
NO_ENFORCEMENT = N_("No violation was confirmed and no fine imposed in the period.")
MONEY = N_("{amount} dong")
ANSWERS = N_("{answers} reporters gave their view of the outcome, {share}% of them satisfied.")
SITUATION_BREAKDOWNS = ("category", "agency_code", "commune", "intake_channel")
TOPS = ("brands", "shops")  # the most reported: ranks, not a whole, so no "others"


def _number(value: float | int | None, words: Translator) -> str:
    return formatting.format_number(value if value is not None else 0, words.language)


def _change(now: int, before: int, words: Translator) -> str:
    difference = now - before
    if difference == 0:
        return words(SAME)
    if before == 0:
        return words(MORE_FROM_NONE, {"count": _number(difference, words)})
    percent = _number(round(100 * abs(difference) / before, 1), words)
    return words(MORE if difference > 0 else FEWER,
                 {"count": _number(abs(difference), words), "percent": percent})


def _label(text: str) -> str:
    """A line's label as prose: a shop and its commune as "Sạp số 12 (Xã Diên Khánh)"."""
    name, _, where = text.partition(" · ")
    return f"{name} ({where})" if where else name


def _items(section: Section, words: Translator, whole: bool = True) -> str:
    """The section's first lines with their counts, "Hàng giả 12; …"; of a whole (`whole`),
    the rest summed as "others"."""
    lines = [line for line in section.lines if line.current]
    listed = [f"{_label(line.label)} {_number(line.current, words)}"
              for line in lines[:MOST_LISTED]]
    rest = sum(int(line.current or 0) for line in lines[MOST_LISTED:])
    if rest and whole:
        listed.append(words(OTHERS, {"count": _number(rest, words)}))
    return "; ".join(listed)


def _money(amount: int, words: Translator) -> str:
    return words(MONEY, {"amount": _number(amount, words)})


def _compared_with(report: PeriodReport, words: Translator) -> str:
    """The period before as a sentence names it: "cùng kỳ năm 2025", "tháng 10/2026"."""
    before = report.previous_period
    if report.period.kind == "report":
        return words(SAME_PERIOD, {"year": before.year})
    title = period_title(before, words)
    return title[:1].lower() + title[1:]


def _situation(report: PeriodReport, by_key: dict[str, Section], words: Translator) -> list[str]:
    now, before = report.current, report.previous
    if not now.received:
        return [words(NONE_RECEIVED, {"span": period_span(report.period)}),
                *_campaign(by_key.get("campaign"), words)]
    texts = [words(RECEIVED, {
        "span": period_span(report.period), "received": _number(now.received, words),
        "change": _change(now.received, before.received, words),
        "previous": _compared_with(report, words),
        "previous_count": _number(before.received, words)})]
    # An agency's own report: its cases are all its own, no breakdown by agency.
    keys = [key for key in SITUATION_BREAKDOWNS
            if not (key == "agency_code" and report.agency_code)]
    texts += [words(BREAKDOWN, {"title": by_key[key].title, "items": _items(by_key[key], words)})
              for key in keys if _items(by_key[key], words)]
    return texts + _campaign(by_key.get("campaign"), words)


def _campaign(section: Section | None, words: Translator) -> list[str]:
    """The campaign's feedback, beside the complaints (its last line is the total)."""
    if section is None or not section.lines[-1].current:
        return []
    by_kind = Section(section.key, section.title, section.lines[:-1])
    return [words(CAMPAIGN, {"received": _number(section.lines[-1].current, words),
                             "items": _items(by_kind, words)})]


def _share(part: int, whole: int, words: Translator) -> str:
    return _number(round(100 * part / whole, 1) if whole else 0, words)


def _resolved(now: Figures, words: Translator) -> str:
    if not now.resolved:
        return words(NONE_RESOLVED)
    late = now.resolved - now.resolved_in_time
    return words(ALL_IN_TIME if not late else RESOLVED, {
        "resolved": _number(now.resolved, words), "in_time": _number(now.resolved_in_time, words),
        "share": _share(now.resolved_in_time, now.resolved, words),
        "late": _number(late, words), "median": _number(now.median_days, words)})


def _enforcement(now: Figures, words: Translator) -> str:
    violations = now.outcomes.get("violation_confirmed", 0)
    referred = now.outcomes.get("referred", 0)
    if not (violations or referred or now.fines_vnd or now.seized_quantity):
        return words(NO_ENFORCEMENT)
    return words(ENFORCEMENT, {
        "violations": _number(violations, words), "referred": _number(referred, words),
        "fines": _money(now.fines_vnd, words), "seized": _number(now.seized_quantity, words),
        "seized_value": _money(now.seized_value_vnd, words)})


def _results(now: Figures, by_key: dict[str, Section], words: Translator) -> list[str]:
    texts = [_resolved(now, words)]
    if now.received:
        texts.append(words(STATUS, {"settled": _number(now.settled_by_end, words),
                                    "open": _number(now.open_at_end, words),
                                    "rejected": _number(now.rejected, words)}))
    texts.append(_enforcement(now, words))
    texts += [words(BREAKDOWN, {"title": by_key[key].title,
                                "items": _items(by_key[key], words, whole=False)})
              for key in TOPS if _items(by_key[key], words, whole=False)]
    if now.answers:
        satisfied = sum(count for _, count in now.satisfaction.get("category", {}).values())
        texts.append(words(ANSWERS, {"answers": _number(now.answers, words),
                                     "share": _share(satisfied, now.answers, words)}))
    return texts


def narrative(report: PeriodReport, agencies: dict[str, Agency],
              words: Translator) -> Paragraphs:
    """The paragraphs under headings I to IV (III and IV empty: the committee writes them)."""
    by_key = {section.key: section for section in sections(report, agencies, words)}
    return (_situation(report, by_key, words), _results(report.current, by_key, words), [], [])
