"""Reporting periods: a month (2026-10), a quarter (2026-Q3), a half year (2026-H1), a year
(2026) or a range of dates, counted in Vietnam time.

Administrative reports rarely follow calendar months: with a cut-off day of 14 (the state
reporting regime of Decree 09/2019/NĐ-CP), "October" runs from 15 September to 14 October,
and a half year from 15 December to 14 June. Cut-off 0 means calendar months. The reporting
year can end with another month than December (year_end_month 11 and cut-off 14: the year
"2026" runs from 15 November 2025 to 14 November 2026, ready for a 15 November deadline).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.i18n.translations import Translator
from workflows.reference.reports import Issuer, NamedReport, parse_issuer, parse_reports
from workflows.reference.tomlfile import read_toml
from workflows.reference.vietnamese import fold

# ASCII digits only: "\d" also takes ٢٠٢٦ and २०२६, which no file name or header can carry.
_PATTERN = re.compile(r"^([0-9]{4})(?:-(?:([0-9]{2})|Q([1-4])|H([12])))?$")


# What a person may ask for: a period outside these days is a typing mistake. A reporting year
# with a cut-off starts in the December before (2000-12-15 for 2001), hence the year's margin;
# the arithmetic around a period (the one before, twelve months back) stays far from year 1.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class PeriodError(ValueError):
    """The period is not one Intake understands; the message (a gettext id, shown in the
    reader's language on pages) says what it expects."""

    def __init__(self, message: str, **params: object) -> None:
        self.problem = Problem(message, params)
        super().__init__(message.format(**params))


@dataclass(frozen=True)
class Period:
    label: str  # the machine's name: 2026-10, 2026-Q3, 2026-H1, 2026, bao-cao-nam:2026, a..b
    first_day: dt.date  # inclusive, Vietnam time
    last_day: dt.date  # inclusive
    kind: str  # month, quarter, half, year, report, range
    cutoff_day: int = 0
    year_end_month: int = 12
    report: NamedReport | None = None  # kind "report": which one

    @property
    def year(self) -> int:
        """The year a named report or a calendar period belongs to."""
        return int(self.label.rsplit(":", 1)[-1][:4])

    @property
    def start(self) -> dt.datetime:
        """The first instant, in UTC, for comparing with stored times."""
        return dt.datetime.combine(self.first_day, dt.time(), VIETNAM).astimezone(dt.UTC)

    @property
    def end(self) -> dt.datetime:
        """The instant after the last day ends (exclusive), in UTC."""
        following = self.last_day + dt.timedelta(days=1)
        return dt.datetime.combine(following, dt.time(), VIETNAM).astimezone(dt.UTC)

    def previous(self) -> Period:
        """The period just before, of the same kind and length."""
        if self.kind == "range":
            days = (self.last_day - self.first_day).days + 1
            last = self.first_day - dt.timedelta(days=1)
            first = last - dt.timedelta(days=days - 1)
            return Period(f"{first.isoformat()}..{last.isoformat()}", first, last, "range")
        if self.kind == "year":
            return parse_period(str(int(self.label) - 1), self.cutoff_day, self.year_end_month)
        if self.kind == "report":
            assert self.report is not None
            return report_period(self.report, self.year - 1)
        year, months = _position(self.label, self.year_end_month)
        first_month = months[0] - len(months)
        return _months_period(_label(self.kind, year, first_month), self.kind, year, first_month,
                              len(months), self.cutoff_day)


def _label(kind: str, year: int, first_month: int) -> str:
    while first_month < 1:
        year, first_month = year - 1, first_month + 12
    return {"month": f"{year}-{first_month:02d}", "quarter": f"{year}-Q{(first_month + 2) // 3}",
            "half": f"{year}-H{(first_month + 5) // 6}"}[kind]


def _position(label: str, year_end_month: int = 12) -> tuple[int, list[int]]:
    """The year and reporting months (1–12; below 1 for the year before) a label covers."""
    match = _PATTERN.match(label)
    assert match, label
    year, month, quarter, half = match.groups()
    if month:
        return int(year), [int(month)]
    if quarter:
        return int(year), [3 * int(quarter) - 2 + n for n in range(3)]
    if half:
        return int(year), [6 * int(half) - 5 + n for n in range(6)]
    return int(year), list(range(year_end_month - 11, year_end_month + 1))


def _month_end(year: int, month: int, cutoff_day: int) -> dt.date:
    """The last day of reporting month (year, month)."""
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    if cutoff_day:
        return dt.date(year, month, cutoff_day)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _months_period(label: str, kind: str, year: int, first_month: int, count: int,
                   cutoff_day: int) -> Period:
    first = _month_end(year, first_month - 1, cutoff_day) + dt.timedelta(days=1)
    last = _month_end(year, first_month + count - 1, cutoff_day)
    return Period(label, first, last, kind, cutoff_day)


def parse_period(text: str, cutoff_day: int = 0, year_end_month: int = 12) -> Period:
    """`2026-10`, `2026-Q3`, `2026-H1` or `2026`, with the reporting cut-off day (0 to 28) and
    the last reporting month of a year."""
    if not 0 <= cutoff_day <= 28:
        raise PeriodError(N_("The cut-off day is between 0 (calendar months) and 28."))
    if not 1 <= year_end_month <= 12:
        raise PeriodError(N_("The reporting year's last month is between 1 and 12."))
    match = _PATTERN.match(text.strip())
    if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
        raise PeriodError(N_("“{text}” is not a period: write 2026-10, 2026-Q3, 2026-H1 or "
                             "2026."), text=text)
    year, months = _position(text.strip(), year_end_month)
    kind = ("month" if match.group(2) else "quarter" if match.group(3)
            else "half" if match.group(4) else "year")
    period = _months_period(text.strip(), kind, year, months[0], len(months), cutoff_day)
    return Period(period.label, period.first_day, period.last_day, kind, cutoff_day,
                  year_end_month)


def report_period(report: NamedReport, year: int) -> Period:
    first, last = report.days(year)
    return Period(f"{report.code}:{year}", first, last, "report", report=report)


def date_range(first: dt.date, last: dt.date) -> Period:
    if last < first:
        raise PeriodError(N_("The end date comes before the start date."))
    if first < EARLIEST or last > LATEST:
        raise PeriodError(N_("Give dates between {first} and {last}."),
                          first=f"{EARLIEST:%d/%m/%Y}", last=f"{LATEST:%d/%m/%Y}")
    return Period(f"{first.isoformat()}..{last.isoformat()}", first, last, "range")


@dataclass(frozen=True)
class ReportingCalendar:
    """How reporting periods are cut, from config/reporting.toml."""

    cutoff_day: int = 0  # reporting months end on this day (0: calendar months)
    year_end_month: int = 12  # the reporting year ends with this reporting month
    publish_after_days: int = 5  # a month's open data is published this many days after it ends
    reports: dict[str, NamedReport] = field(default_factory=dict)  # the plans' reports
    issuer: Issuer = field(default_factory=lambda: Issuer())

    def named(self, code: str, year: int) -> Period:
        """A report the plans ask for (config/reporting.toml), for one year."""
        report = self.reports.get(code)
        if report is None:
            known = ", ".join(sorted(self.reports))
            raise PeriodError(N_("No report is named “{code}”. The reports: {known}."),
                              code=code, known=known or "—")
        if not EARLIEST.year < year <= LATEST.year:
            raise PeriodError(N_("Give a year between {first} and {last}."),
                              first=EARLIEST.year + 1, last=LATEST.year)
        return report_period(report, year)

    def by_name(self, text: str) -> Period | None:
        """A named report as a person says it: "Báo cáo năm 2026", "báo cáo 6 tháng đầu năm
        2026", "Yearly report 2026" (case, marks and spaces aside); None if it names none."""
        words = fold(text).split()
        if len(words) < 2 or not (words[-1].isascii() and words[-1].isdigit()
                                  and len(words[-1]) == 4):
            return None
        said = " ".join(words[:-1])
        for report in self.reports.values():
            if said in (fold(report.title_vi), fold(report.title_en), report.code):
                return self.named(report.code, int(words[-1]))
        return None

    def period(self, text: str, cutoff_day: int | None = None) -> Period:
        """A period a person asked for, within EARLIEST and LATEST: 2026-10, 2026-Q3,
        2026-H1, 2026, or a named report and its year, by its name ("Báo cáo năm 2026") or
        its code (bao-cao-nam:2026)."""
        if (named := self.by_name(text)) is not None:
            return named
        code, colon, year = text.strip().partition(":")
        if colon:
            if not (year.isascii() and year.isdigit() and len(year) == 4):
                raise PeriodError(N_("“{text}”: a report is named with its year, as in "
                                     "bao-cao-nam:2026."), text=text)
            return self.named(code, int(year))
        period = parse_period(text, self.cutoff_day if cutoff_day is None else cutoff_day,
                              self.year_end_month)
        if period.first_day < EARLIEST or period.last_day > LATEST:
            raise PeriodError(N_("Give a period between {first} and {last}."), first=EARLIEST.year,
                              last=LATEST.year)
        return period

    def month_label(self, day: dt.date) -> str:
        """The reporting month a Vietnam-time day belongs to (with cut-off 14, 15 October
        is in November)."""
        if self.cutoff_day and day.day > self.cutoff_day:
            return f"{day.year + day.month // 12}-{day.month % 12 + 1:02d}"
        return f"{day.year}-{day.month:02d}"

    def month(self, day: dt.date) -> Period:
        """The reporting month of a day the system computed (not bounded like a typed one:
        the months before 2001-01 are still months, with nothing in them)."""
        return parse_period(self.month_label(day), self.cutoff_day, self.year_end_month)

    def months_from(self, day: dt.date) -> Iterator[Period]:
        """The reporting months from the one holding `day` on, oldest first, without end."""
        month = self.month(day)
        while True:
            yield month
            month = self.month(month.last_day + dt.timedelta(days=1))

    def months_ending(self, last: Period, count: int) -> list[Period]:
        """`count` reporting months, oldest first, the last one being `last`."""
        months = [last]
        while len(months) < count:
            months.insert(0, months[0].previous())
        return months


def load_calendar(path: Path) -> ReportingCalendar:
    """config/reporting.toml (calendar months and years when the file is absent)."""
    if not path.exists():
        return ReportingCalendar()
    source = read_toml(path)

    def whole(key: str, default: int, low: int, high: int) -> int:
        value = source.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise source.error(f"{key} must be a whole number from {low} to {high}", key=key)
        return value

    return ReportingCalendar(whole("cutoff_day", 0, 0, 28), whole("year_end_month", 12, 1, 12),
                             whole("publish_after_days", 5, 0, 60), parse_reports(source),
                             parse_issuer(source))


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
TITLES = {
    "month": N_("Month {month}/{year}"),
    "quarter": N_("Quarter {roman}/{year}"),
    "H1": N_("First six months of {year}"),
    "H2": N_("Last six months of {year}"),
    "year": N_("Year {year}"),
    "report": N_("{title} {year}"),
    "range": N_("From {first} to {last}"),
}


def month_title(label: str, words: Translator) -> str:
    """A reporting month's title from its label (2026-11: "Tháng 11/2026")."""
    year, month = label.split("-")
    return words(TITLES["month"], {"month": int(month), "year": int(year)})


def period_title(period: Period, words: Translator) -> str:
    """What a person calls the period: "Tháng 11/2026", "Quý III/2026", "6 tháng đầu năm
    2026", "Báo cáo năm 2026" — never its machine label."""
    if period.kind == "range":
        return words(TITLES["range"], {"first": f"{period.first_day:%d/%m/%Y}",
                                       "last": f"{period.last_day:%d/%m/%Y}"})
    year, months = _position(period.label, period.year_end_month) if period.kind != "report" \
        else (period.year, [])
    if period.kind == "month":
        return month_title(period.label, words)
    if period.kind == "quarter":
        return words(TITLES["quarter"], {"roman": ROMAN[(months[0] + 2) // 3], "year": year})
    if period.kind == "half":
        return words(TITLES["H1" if months[0] == 1 else "H2"], {"year": year})
    if period.kind == "report":
        assert period.report is not None
        return words(TITLES["report"], {"title": words.gettext(period.report.label),
                                        "year": year})
    return words(TITLES["year"], {"year": year})


def period_span(period: Period) -> str:
    return f"{period.first_day:%d/%m/%Y} – {period.last_day:%d/%m/%Y}"
