"""The reports the provincial plans ask for, declared in config/reporting.toml: each a window
of the year (the 6-month report from 15 December to 14 June, the yearly one from 15 December to
14 November), a Vietnamese and an English title, a due date, and how many working days before it
the draft goes to the analysts and the committee. `Period`s of kind "report" carry theirs.

The [issuer] table says who sends the formal report: the body and the one above it, the
number's suffix, the place, who signs, to whom it goes, and which mailboxes get the drafts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.reference.agencies import Agency
from workflows.reference.tomlfile import TomlFile

CODE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
MONTH_DAY = re.compile(r"^([0-9]{2})-([0-9]{2})$")


@dataclass(frozen=True)
class NamedReport:
    code: str
    title_vi: str
    title_en: str
    first: tuple[int, int]  # (month, day) it starts on; in the year before when after `last`
    last: tuple[int, int]  # (month, day) it ends on, in the report's year
    due: tuple[int, int]  # (month, day) it is due, in the report's year
    reminder_working_days: int = 5

    @property
    def label(self) -> str:
        """The English title: the gettext id of the Vietnamese one."""
        return self.title_en

    def catalogue(self, language: str) -> dict[str, str]:
        return {self.title_en: self.title_vi} if language == "vi" else {}

    def days(self, year: int) -> tuple[dt.date, dt.date]:
        """The first and last days (inclusive) of this report for `year`."""
        starts_before = self.first > self.last
        first = dt.date(year - 1 if starts_before else year, *self.first)
        return first, dt.date(year, *self.last)

    def due_date(self, year: int) -> dt.date:
        return dt.date(year, *self.due)


def _month_day(source: TomlFile, index: int, entry: dict[str, Any], key: str) -> tuple[int, int]:
    value = entry.get(key)
    found = MONTH_DAY.match(value) if isinstance(value, str) else None
    try:
        if found is None:
            raise ValueError
        month, day = int(found.group(1)), int(found.group(2))
        dt.date(2001, month, day)  # a day every year has: no 29 February
    except ValueError:
        raise source.error(f"report {entry.get('code')!r}: {key} is a day of the year as "
                           f"\"MM-DD\", such as \"06-14\"", "reports", index, key) from None
    return month, day


def parse_reports(source: TomlFile) -> dict[str, NamedReport]:
    entries = source.data.get("reports", [])
    if not isinstance(entries, list):
        raise source.error("reports are [[reports]] tables", key="reports")
    known = {"code", "title_vi", "title_en", "first", "last", "due", "reminder_working_days"}
    reports: dict[str, NamedReport] = {}
    for index, entry in enumerate(entries):
        for key in entry:
            if key not in known:
                raise source.error(f"unknown key {key!r} (known: {', '.join(sorted(known))})",
                                   "reports", index, key)
        code = entry.get("code")
        if not isinstance(code, str) or not CODE.match(code) or code in reports:
            raise source.error(f"a report's code is 2-40 lowercase letters, digits or -, once: "
                               f"got {code!r}", "reports", index, "code")
        for key in ("title_vi", "title_en"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise source.error(f"report {code!r}: {key} must be a non-empty text",
                                   "reports", index, key)
        days = entry.get("reminder_working_days", 5)
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 60:
            raise source.error(f"report {code!r}: reminder_working_days is 0 to 60",
                               "reports", index, "reminder_working_days")
        reports[code] = NamedReport(
            code, entry["title_vi"].strip(), entry["title_en"].strip(),
            _month_day(source, index, entry, "first"), _month_day(source, index, entry, "last"),
            _month_day(source, index, entry, "due"), days)
        if reports[code].first == reports[code].last:
            raise source.error(f"report {code!r}: first and last are the same day",
                               "reports", index, "last")
    return reports


@dataclass(frozen=True)
class Issuer:
    parent: str = ""  # the body above the issuer, e.g. ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA
    name: str = "BAN CHỈ ĐẠO 389"
    number_suffix: str = "BC-BCĐ389"  # "Số:      /BC-BCĐ389"
    place: str = ""  # "Khánh Hòa, ngày … tháng … năm …"
    signer_title: str = "TRƯỞNG BAN"
    signer_name: str = ""
    recipients: tuple[str, ...] = ()  # "Nơi nhận"
    reminders_to: tuple[str, ...] = ()  # mailboxes that get each draft before its due date


def _texts(source: TomlFile, table: dict[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise source.error(f"issuer.{key} is a list of texts", key=key)
    return tuple(item.strip() for item in value if item.strip())


def parse_issuer(source: TomlFile) -> Issuer:
    table = source.data.get("issuer", {})
    if not isinstance(table, dict):
        raise source.error("[issuer] is a table", key="issuer")
    texts = ("parent", "name", "number_suffix", "place", "signer_title", "signer_name")
    known = {*texts, "recipients", "reminders_to"}
    for key in table:
        if key not in known:
            raise source.error(f"unknown key {key!r} (known: {', '.join(sorted(known))})",
                               key=str(key))
    values = {}
    for key in texts:
        if not isinstance(table.get(key, ""), str):
            raise source.error(f"issuer.{key} is a text", key=key)
        values[key] = str(table.get(key, getattr(Issuer, key))).strip()
    reminders = []
    for address in _texts(source, table, "reminders_to"):
        try:
            reminders.append(mailbox(address))
        except NotAMailbox as refused:
            raise source.error(f"issuer.reminders_to: {address!r} is not one email address "
                               f"({refused})", key="reminders_to") from None
    return Issuer(**values, recipients=_texts(source, table, "recipients"),
                  reminders_to=tuple(reminders))


DEFAULT_AGENCY_RECIPIENTS = ("Ban Chỉ đạo 389 tỉnh (báo cáo)", "Lưu: VT.")


def agency_issuer(committee: Issuer, agency: Agency) -> Issuer:
    """Who issues an agency's own report: the agency under its own name and symbol, above it
    the body configured for it (else the committee's parent), sent to the committee."""
    return Issuer(
        parent=agency.report_parent or committee.parent,
        name=agency.report_name or agency.name_vi.upper(),
        number_suffix=agency.report_symbol or f"BC-{agency.code.upper()}",
        place=committee.place, signer_title=agency.report_signer_title or "THỦ TRƯỞNG CƠ QUAN",
        signer_name=agency.report_signer_name,
        recipients=agency.report_recipients or DEFAULT_AGENCY_RECIPIENTS)
