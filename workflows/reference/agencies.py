"""The agencies that act on cases, read from config/agencies.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.reference.tomlfile import TomlFile, read_toml

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,15}$")
REQUIRED_TEXT = ("name_vi", "name_en", "email")
OPTIONAL_TEXT = ("description_vi", "description_en", "phone", "legal_basis", "report_parent",
                 "report_name", "report_symbol", "report_signer_title", "report_signer_name")


@dataclass(frozen=True)
class Agency:
    code: str
    name_vi: str
    name_en: str
    email: str
    description_vi: str = ""
    description_en: str = ""
    phone: str = ""  # where a business or a brand owner asked by it reaches a person
    # The law under which it asks a business to explain (named in that mail, in Vietnamese).
    legal_basis: str = ""
    # Takes the cases referred to it when they show signs of a crime (the police): never by
    # routing, only by the "refer_to_police" action.
    criminal_referrals: bool = False
    # Its own report's heading (Decree 30): the body above it, the symbol after the number
    # ("BC-QLTT"), who signs; the name is its own, in capitals.
    report_parent: str = ""
    report_name: str = ""  # as the heading writes it, when not its name in capitals
    report_symbol: str = ""
    report_signer_title: str = ""
    report_signer_name: str = ""
    report_recipients: tuple[str, ...] = ()  # "Nơi nhận" of its own report

    @property
    def label(self) -> str:
        """The English name: the gettext id under which the Vietnamese one is catalogued."""
        return self.name_en

    def catalogue(self, language: str) -> dict[str, str]:
        """This agency's own entries for the language's catalogue (config/ gives both)."""
        if language != "vi":
            return {}
        entries = {self.name_en: self.name_vi}
        if self.description_en:
            entries[self.description_en] = self.description_vi
        return entries


def load_agencies(path: Path) -> dict[str, Agency]:
    source = read_toml(path)
    entries = source.data.get("agencies")
    if not isinstance(entries, list) or not entries:
        raise source.error("expected at least one [[agencies]] table")
    agencies: dict[str, Agency] = {}
    for index, entry in enumerate(entries):
        agency = _parse_agency(source, index, entry)
        if agency.code in agencies:
            raise source.error(f"agency code {agency.code!r} appears twice", "agencies", index, "code")
        agencies[agency.code] = agency
    return agencies


def _parse_agency(source: TomlFile, index: int, entry: dict[str, object]) -> Agency:
    known = {"code", *REQUIRED_TEXT, *OPTIONAL_TEXT, "criminal_referrals", "report_recipients"}
    for key in entry:
        if key not in known:
            raise source.error(f"unknown key {key!r} (known: {', '.join(sorted(known))})",
                               "agencies", index, key)
    code = entry.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise source.error(
            "code must be 2-16 lowercase letters, digits or _ starting with a letter, "
            f"got {code!r}", "agencies", index, "code")
    for key in (*REQUIRED_TEXT, *OPTIONAL_TEXT):
        value = entry.get(key, "")
        if not isinstance(value, str) or (key in REQUIRED_TEXT and not value.strip()):
            raise source.error(f"agency {code!r}: {key} must be a non-empty text",
                               "agencies", index, key)
    referrals = entry.get("criminal_referrals", False)
    if not isinstance(referrals, bool):
        raise source.error(f"agency {code!r}: criminal_referrals is true or false",
                           "agencies", index, "criminal_referrals")
    try:
        email = mailbox(str(entry["email"]))
    except NotAMailbox as refused:
        raise source.error(f"agency {code!r}: {entry['email']!r} is not one email address "
                           f"({refused})", "agencies", index, "email") from None
    return Agency(
        code=code,
        name_vi=str(entry["name_vi"]),
        name_en=str(entry["name_en"]),
        email=email,
        description_vi=str(entry.get("description_vi", "")),
        description_en=str(entry.get("description_en", "")),
        phone=str(entry.get("phone", "")).strip(),
        legal_basis=" ".join(str(entry.get("legal_basis", "")).split()),
        criminal_referrals=referrals,
        **{key: " ".join(str(entry.get(key, "")).split()) for key in (
            "report_parent", "report_name", "report_symbol", "report_signer_name")},
        report_recipients=_recipients(source, index, code, entry.get("report_recipients", [])),
        report_signer_title=str(entry.get("report_signer_title", "")).strip(),
    )


def _recipients(source: TomlFile, index: int, code: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise source.error(f"agency {code!r}: report_recipients is a list of texts",
                           "agencies", index, "report_recipients")
    return tuple(item.strip() for item in value if item.strip())
