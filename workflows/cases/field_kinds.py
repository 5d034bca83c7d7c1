"""How each kind of report field is read from what a person typed (a field declares its kind:
workflows.cases.report_fields): its value, or the problem to show beside it. Pure functions,
no I/O. Public input: every number's length is checked before it is parsed."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from workflows.cases.phones import stored_number
from workflows.cases.quantities import number_and_unit
from workflows.cases.report_fields import ReportField
from workflows.cases.text import NO_WORDS, TOO_LONG, clean_text, has_words
from workflows.i18n.messages import N_, Problem
from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.reference.catalog import codes
from workflows.reference.places import Places

MIN_DESCRIPTION_CHARS = 10
EARLIEST_PURCHASE = dt.date(2000, 1, 1)
BARCODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z \-]*$")
PHONE_PATTERN = re.compile(r"^\+?[0-9]{9,15}$")
# A sum of đồng as people write it: 150000, 150.000, 150,000 or 150 000, with or without a đ,
# ₫ or VND after it. Đồng have no smaller unit, so a separator is always for thousands and
# must be followed by three digits: 150,5 or 15.00 is a mistake, not 1505 or 1500.
_VND = re.compile(r"^([0-9]+|[0-9]{1,3}(?:([.,  ])[0-9]{3})(?:\2[0-9]{3})*)"
                  r"\s*(?:đ|₫|vnd|vnđ|đồng)?$", re.IGNORECASE)
# A decimal (2,5; 0.25), not a whole number whatever the unit; 1.000 may be a thousand.
_DECIMAL = re.compile(r"^[0-9]+[.,]([0-9]{1,2}|[0-9]{4,})$")


@dataclass(frozen=True)
class Reading:
    """What reading depends on beside the typed text: the province's communes, the longest
    description this installation takes, and today in Vietnam."""

    places: Places
    max_description_chars: int
    today: dt.date
    # An Open311 client may leave the description out (the spec makes it optional): the
    # goods' attributes describe the report. Given, it must still say something.
    description_optional: bool = False


Value = object  # a field's value, or a Problem
Reader = Callable[[str, ReportField, Reading], Value]


def bounded_int(typed: str, max_digits: int) -> int | None:
    """The whole number typed, or None if it is not one or has more than `max_digits` digits.
    Public input: the length is checked before int(), which is slow (and refuses outright,
    past 4,300 digits) on a huge string, leading zeros included."""
    digits = typed.strip()
    if not (digits.isascii() and digits.isdigit()):
        return None
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= max_digits else None


def vnd_digits(typed: str) -> str | None:
    """The digits of a sum of đồng as people write it (see _VND), or None if it is not one."""
    found = _VND.match(typed.strip())
    if found is None:
        return None
    return re.sub(r"[^0-9]", "", found.group(1))


def text(typed: str, field: ReportField, reading: Reading, multiline: bool = False,
         limit: int | None = None) -> Value:
    cleaned = clean_text(typed, multiline=multiline)
    if isinstance(cleaned, Problem):
        return cleaned
    limit = limit or field.limit
    if field.required and not cleaned:
        return Problem(N_("This field is required."))
    if field.required and not has_words(cleaned):
        return Problem(NO_WORDS)
    if limit and len(cleaned) > limit:
        return Problem(TOO_LONG, {"limit": limit, "length": len(cleaned)})
    return cleaned


def longtext(typed: str, field: ReportField, reading: Reading) -> Value:
    if reading.description_optional and field.required:
        given = text(typed, replace(field, required=False), reading, multiline=True,
                     limit=reading.max_description_chars)
        return Problem(NO_WORDS) if isinstance(given, str) and given and not has_words(
            given) else given
    written = text(typed, field, reading, multiline=True, limit=reading.max_description_chars)
    if isinstance(written, str) and field.required and len(written) < MIN_DESCRIPTION_CHARS:
        return Problem(N_("Please describe what happened in at least {minimum} characters."),
                       {"minimum": MIN_DESCRIPTION_CHARS})
    return written


def choice(typed: str, field: ReportField, reading: Reading) -> Value:
    value = typed.strip() or field.default
    return value if value in codes(field.terms) else Problem(field.choose)


def barcode(typed: str, field: ReportField, reading: Reading) -> Value:
    written = text(typed, field, reading)
    if isinstance(written, str) and written and not BARCODE_PATTERN.match(written):
        return Problem(N_("Type the digits and letters printed under the barcode."))
    return written


def known_commune(written: str, places: Places) -> str | Problem:
    """A commune or ward of the list, by its name or (from an app) its official code; ""
    when none is given. Every form that asks for a commune reads it so."""
    named = places.named(written)
    if named and not places.accepts(named):
        return Problem(N_("Choose a commune or ward from the list."))
    return named


def commune(typed: str, field: ReportField, reading: Reading) -> Value:
    written = text(typed, field, reading)
    return known_commune(written, reading.places) if isinstance(written, str) else written


def url(typed: str, field: ReportField, reading: Reading) -> Value:
    written = text(typed, field, reading)
    if not isinstance(written, str) or not written:
        return written
    try:
        parts = urlsplit(written)
        parts.port  # noqa: B018 (reading it checks it: "http://x:99999" has none)
    except ValueError:  # "http://[::1": a bracket or a port the parser cannot read
        return Problem(N_("This web address cannot be read: copy it again from the browser's "
                          "address bar."))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return Problem(N_("Give a web address starting with http:// or https://."))
    return written


def whole(typed: str, field: ReportField, reading: Reading) -> Value:
    """A whole number; where the field keeps a unit, with the unit after it ("2 chai")."""
    typed = typed.strip()
    if not typed:
        return None
    if field.unit:
        typed, _ = number_and_unit(typed)
    if not (typed.isascii() and typed.isdigit()):
        if _DECIMAL.match(typed):
            return Problem(N_("Give a whole number: {number} is not one. Count in a smaller "
                              "unit (500 g rather than 0,5 kg)."), {"number": typed})
        return Problem(N_("Give a whole number, e.g. 2 or 2 chai.") if field.unit
                       else N_("Give a whole number."))
    high = field.limit or 0
    value = bounded_int(typed, len(str(high)) + 1)
    if value is None or not 1 <= value <= high:
        return Problem(N_("Give a number from {low} to {high}."), {"low": 1, "high": high})
    return value


def amount(typed: str, field: ReportField, reading: Reading) -> Value:
    """Đồng as people write them: 120000, 120.000, 120,000 đ."""
    typed = typed.strip()
    if not typed:
        return None
    if typed.startswith("-"):
        return Problem(N_("The price cannot be negative."))
    digits = vnd_digits(typed)
    if digits is None:
        return Problem(N_("Give the price in đồng, digits only, e.g. 150000."))
    limit = field.limit or 0
    value = bounded_int(digits, len(str(limit)))  # lengths first: int() of a huge string is slow
    if value is None or value > limit:
        return Problem(N_("The price cannot be more than {limit} đồng."), {"limit": limit})
    return value


def date(typed: str, field: ReportField, reading: Reading) -> Value:
    typed = typed.strip()
    if not typed:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = dt.datetime.strptime(typed, pattern).date()
            break
        except ValueError:
            continue
    else:
        return Problem(N_("Give a date as dd/mm/yyyy."))
    if parsed > reading.today:
        return Problem(N_("The purchase date cannot be in the future."))
    if parsed < EARLIEST_PURCHASE:
        return Problem(N_("Give a date after 01/01/2000."))
    return parsed


def degrees(typed: str, field: ReportField, reading: Reading) -> Value:
    """A latitude or a longitude, within ± its limit (the pair is checked together)."""
    typed = typed.strip()
    if not typed:
        return None
    try:
        value = float(typed)
    except ValueError:
        return Problem(N_("Give a number in degrees, e.g. 21.0285."))
    limit = float(field.limit or 0)
    if not math.isfinite(value) or not -limit <= value <= limit:
        return Problem(N_("Must be between -{limit} and {limit} degrees."), {"limit": int(limit)})
    return value


def phone_number(written: str) -> str | Problem:
    """Any way a Vietnamese number is written, stored one way (workflows.cases.phones); ""
    when none is given. Every form that asks for a phone reads it so."""
    if not written:
        return written
    stored = stored_number(written)
    if stored is None:
        return Problem(N_("Give a phone number such as 0905 123 987 (with its country code, "
                          "+…, if it is not Vietnamese)."))
    return stored


def phone(typed: str, field: ReportField, reading: Reading) -> Value:
    written = text(typed, field, reading)
    return phone_number(written) if isinstance(written, str) else written


def email_address(written: str) -> str | Problem:
    """One mailbox as it is stored (workflows.mail.addresses); "" when none is given. Every
    form that asks for an email reads it so."""
    if not written:
        return written
    try:
        return mailbox(written)
    except NotAMailbox:
        return Problem(N_("Give one email address such as ten@example.com."))


def email(typed: str, field: ReportField, reading: Reading) -> Value:
    written = text(typed, field, reading)
    return email_address(written) if isinstance(written, str) else written


def flag(typed: str, field: ReportField, reading: Reading) -> Value:
    return typed in ("1", "on", "yes", "true")


KINDS: dict[str, Reader] = {
    "text": text, "longtext": longtext, "choice": choice, "barcode": barcode,
    "commune": commune, "url": url, "whole": whole, "amount": amount, "date": date,
    "latitude": degrees, "longitude": degrees, "phone": phone, "email": email, "flag": flag,
}
