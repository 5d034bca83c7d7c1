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

RECEIVED = N_("In the period ({span}) {received} reports were received, {change} compared "
              "with {previous} ({previous_count} reports).")
MORE = N_("{count} more ({percent}%)")
MORE_FROM_NONE = N_("{count} more")
FEWER = N_("{count} fewer ({percent}%)")
SAME = N_("as many")
BREAKDOWN = N_("{title}: {items}.")
MOST_LISTED = 5
OTHERS = N_("others {count}")
RESOLVED = N_("{resolved} reports were resolved in the period, {in_time} of them in time "
              "({share}%) and {late} late; the median time to resolve was {median} days.")
NONE_RESOLVED = N_("No report was resolved in the period.")
STATUS = N_("Of the reports received in the period, {settled} were settled and {open} were "
            "still being handled at its end; {rejected} were not taken up.")
ENFORCEMENT = N_("Violations were confirmed in {violations} cases and {referred} were referred "
                 "to another authority; fines totalled {fines}, and {seized} kinds of goods "
                 "worth {seized_value} were seized.")
ANSWERS = N_("{answers} reporters gave their view of the outcome, {share}% of them satisfied.")
SITUATION_BREAKDOWNS = ("category", "agency_code", "commune", "intake_channel")
TOPS = ("brands", "shops")


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


def _items(section: Section, words: Translator) -> str:
    """The section's first lines with their counts, the rest summed: "Hàng giả 12; …"."""
    lines = [line for line in section.lines if line.current]
    listed = [f"{line.label} {_number(line.current, words)}" for line in lines[:MOST_LISTED]]
    rest = sum(int(line.current or 0) for line in lines[MOST_LISTED:])
    if rest:
        listed.append(words(OTHERS, {"count": _number(rest, words)}))
    return "; ".join(listed)


def _situation(report: PeriodReport, by_key: dict[str, Section], words: Translator) -> list[str]:
    now, before = report.current, report.previous
    texts = [words(RECEIVED, {
        "span": period_span(report.period), "received": _number(now.received, words),
        "change": _change(now.received, before.received, words),
        "previous": period_title(report.previous_period, words),
        "previous_count": _number(before.received, words)})]
    texts += [words(BREAKDOWN, {"title": by_key[key].title, "items": _items(by_key[key], words)})
              for key in SITUATION_BREAKDOWNS if now.received and _items(by_key[key], words)]
    return texts


def _share(part: int, whole: int, words: Translator) -> str:
    return _number(round(100 * part / whole, 1) if whole else 0, words)


def _results(now: Figures, by_key: dict[str, Section], words: Translator) -> list[str]:
    texts = [words(RESOLVED, {
        "resolved": _number(now.resolved, words), "in_time": _number(now.resolved_in_time, words),
        "share": _share(now.resolved_in_time, now.resolved, words),
        "late": _number(now.resolved - now.resolved_in_time, words),
        "median": _number(now.median_days, words)}) if now.resolved else words(NONE_RESOLVED)]
    texts.append(words(STATUS, {"settled": _number(now.settled_by_end, words),
                                "open": _number(now.open_at_end, words),
                                "rejected": _number(now.rejected, words)}))
    texts.append(words(ENFORCEMENT, {
        "violations": _number(now.outcomes.get("violation_confirmed", 0), words),
        "referred": _number(now.outcomes.get("referred", 0), words),
        "fines": formatting.format_vnd(now.fines_vnd, words.language),
        "seized": _number(now.seized_quantity, words),
        "seized_value": formatting.format_vnd(now.seized_value_vnd, words.language)}))
    texts += [words(BREAKDOWN, {"title": by_key[key].title, "items": _items(by_key[key], words)})
              for key in TOPS if _items(by_key[key], words)]
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
