"""Validation of a citizen's report: raw text in, a clean `ReportDraft` or field errors out.

Pure functions, no I/O. Messages are English gettext ids marked with `N_`; pages translate
them (Vietnamese first) and the API answers in the language asked for.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from workflows.cases.draft import ReportDraft
from workflows.cases.text import NO_WORDS, clean_text, has_words
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Errors, Problem
from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.reference.catalog import (
    CATEGORY_CODES,
    LABEL_ORIGIN_CODES,
    PRODUCT_GROUP_CODES,
    SALES_CHANNEL_CODES,
)
from workflows.reference.places import Places

# Single-line text fields and their length limits.
TEXT_LIMITS: dict[str, int] = {
    "product_name": 200,
    "brand": 200,
    "shop_name": 200,
    "street": 200,
    "platform": 100,
    "online_url": 500,
    "reporter_name": 100,
    "reporter_email": 254,
    "reporter_phone": 20,
    "barcode": 32,
    "commune": 100,
}
MIN_DESCRIPTION_CHARS = 10
MAX_PRICE_VND = 10**12
MAX_QUANTITY = 1_000_000
EARLIEST_PURCHASE = dt.date(2000, 1, 1)
BARCODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z \-]*$")
PHONE_PATTERN = re.compile(r"^\+?[0-9]{9,15}$")
# A sum of đồng as people write it: 150000, 150.000, 150,000 or 150 000, with or without a đ,
# ₫ or VND after it. Đồng have no smaller unit, so a separator is always for thousands and
# must be followed by three digits: 150,5 or 15.00 is a mistake, not 1505 or 1500.
_VND = re.compile(r"^([0-9]+|[0-9]{1,3}(?:([.,  ])[0-9]{3})(?:\2[0-9]{3})*)"
                  r"\s*(?:đ|₫|vnd|vnđ|đồng)?$", re.IGNORECASE)


class _Reader:
    """The raw fields, the values cleaned so far and the problems found so far."""

    def __init__(self, raw: Mapping[str, str]) -> None:
        self.raw = raw
        self.errors: Errors = {}
        self.values: dict[str, object] = {}

    def text(self, name: str, *, required: bool = False, multiline: bool = False,
             limit: int | None = None) -> str:
        cleaned = clean_text(self.raw.get(name, ""), multiline=multiline)
        if isinstance(cleaned, Problem):
            self.errors[name] = cleaned
            return ""
        limit = limit or TEXT_LIMITS.get(name)
        if required and not cleaned:
            self.errors[name] = Problem(N_("This field is required."))
        elif required and not has_words(cleaned):
            self.errors[name] = Problem(NO_WORDS)
        elif limit and len(cleaned) > limit:
            self.errors[name] = Problem(N_("At most {limit} characters (you typed {length})."),
                                        {"limit": limit, "length": len(cleaned)})
        return cleaned

    def choice(self, name: str, allowed: frozenset[str], message: str, default: str = "") -> str:
        value = self.raw.get(name, "").strip() or default
        if value not in allowed:
            self.errors[name] = Problem(message)
        return value

    def refuse(self, name: str, message: str, **params: object) -> None:
        self.errors[name] = Problem(message, params)


def _what(read: _Reader, max_description_chars: int) -> None:
    """What was reported: the kind of problem, the product, what happened."""
    values = read.values
    values["category"] = read.choice("category", CATEGORY_CODES,
                                     N_("Choose what kind of problem you are reporting."))
    values["product_group"] = read.choice("product_group", PRODUCT_GROUP_CODES,
                                          N_("Choose the kind of product."))
    values["sales_channel"] = read.choice("sales_channel", SALES_CHANNEL_CODES,
                                          N_("Choose where the product was sold."))
    values["label_origin"] = read.choice("label_origin", LABEL_ORIGIN_CODES,
                                         N_("Choose an origin from the list."), default="unknown")
    values["product_name"] = read.text("product_name", required=True)
    for name in ("brand", "shop_name", "street", "platform", "reporter_name"):
        values[name] = read.text(name)
    values["description"] = description = read.text(
        "description", required=True, multiline=True, limit=max_description_chars)
    if "description" not in read.errors and len(description) < MIN_DESCRIPTION_CHARS:
        read.refuse("description", N_("Please describe what happened in at least {minimum} "
                                      "characters."), minimum=MIN_DESCRIPTION_CHARS)
    values["barcode"] = barcode = read.text("barcode")
    if barcode and not BARCODE_PATTERN.match(barcode):
        read.refuse("barcode", N_("Type the digits and letters printed under the barcode."))


def _where(read: _Reader, places: Places) -> None:
    """Where it was sold: the commune or ward, or the page online."""
    read.values["commune"] = commune = read.text("commune")
    if commune and not places.accepts(commune):
        read.refuse("commune", N_("Choose a commune or ward from the list."))
    read.values["online_url"] = url = read.text("online_url")
    if url:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 (reading it checks it: "http://x:99999" has none)
        except ValueError:  # "http://[::1": a bracket or a port the parser cannot read
            read.refuse("online_url", N_("This web address cannot be read: copy it again from "
                                         "the browser's address bar."))
        else:
            if parts.scheme not in ("http", "https") or not parts.netloc:
                read.refuse("online_url",
                            N_("Give a web address starting with http:// or https://."))
    if (read.values["sales_channel"] == "online" and not url and not read.values["platform"]
            and "online_url" not in read.errors):
        read.refuse("online_url",
                    N_("For goods sold online, give the page address or the platform's name."))


def _reporter(read: _Reader) -> None:
    """Who reports, if they say: contact details only with their consent."""
    phone = read.text("reporter_phone").replace(" ", "").replace(".", "").replace("-", "")
    if phone and not PHONE_PATTERN.match(phone):
        read.refuse("reporter_phone", N_("Give a phone number of 9 to 15 digits."))
    email = read.text("reporter_email")
    if email:
        try:
            email = mailbox(email)
        except NotAMailbox:
            read.refuse("reporter_email", N_("Give one email address such as ten@example.com."))
    consent = read.raw.get("consent", "") in ("1", "on", "yes", "true")
    if (read.values["reporter_name"] or phone or email) and not consent:
        read.refuse("consent", N_(
            "To leave your name or contact details, agree that the agencies may use them "
            "to handle this report. Or leave them empty to report anonymously."))
    read.values.update(reporter_phone=phone, reporter_email=email, consent=consent)


@dataclass(frozen=True)
class CheckedReport:
    """A report's fields checked once, for everything one request does with them (the offer
    of the same goods, the filing, the form sent back): the draft when it can be filed as it
    is, else None, and each field's problem."""

    draft: ReportDraft | None
    errors: Errors


def validate_report(
    raw: Mapping[str, str],
    places: Places,
    *,
    max_description_chars: int,
    today: dt.date | None = None,
) -> tuple[ReportDraft | None, Errors]:
    read = _Reader(raw)
    _what(read, max_description_chars)
    _where(read, places)
    values, errors = read.values, read.errors
    values["quantity"] = _whole_number(raw, "quantity", 1, MAX_QUANTITY, errors)
    values["price_vnd"] = _price(raw.get("price_vnd", ""), errors)
    values["purchase_date"] = _purchase_date(raw.get("purchase_date", ""),
                                             today or dt.datetime.now(VIETNAM).date(), errors)
    values["latitude"], values["longitude"] = _position(raw, errors)
    _reporter(read)
    if errors:
        return None, errors
    return ReportDraft(**values), {}  # type: ignore[arg-type]


def bounded_int(typed: str, max_digits: int) -> int | None:
    """The whole number typed, or None if it is not one or has more than `max_digits` digits.
    Public input: the length is checked before int(), which is slow (and refuses outright,
    past 4,300 digits) on a huge string, leading zeros included."""
    digits = typed.strip()
    if not (digits.isascii() and digits.isdigit()):
        return None
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= max_digits else None


def _whole_number(raw: Mapping[str, str], name: str, low: int, high: int,
                  errors: Errors) -> int | None:
    typed = raw.get(name, "").strip()
    if not typed:
        return None
    if not (typed.isascii() and typed.isdigit()):
        errors[name] = Problem(N_("Give a whole number."))
        return None
    value = bounded_int(typed, len(str(high)) + 1)
    if value is None or not low <= value <= high:
        errors[name] = Problem(N_("Give a number from {low} to {high}."),
                               {"low": low, "high": high})
        return None
    return value


def vnd_digits(typed: str) -> str | None:
    """The digits of a sum of đồng as people write it (see _VND), or None if it is not one."""
    found = _VND.match(typed.strip())
    if found is None:
        return None
    return re.sub(r"[^0-9]", "", found.group(1))


def _price(typed: str, errors: Errors) -> int | None:
    """Accept what people write: 120000, 120.000, 120,000 đ."""
    typed = typed.strip()
    if not typed:
        return None
    if typed.startswith("-"):
        errors["price_vnd"] = Problem(N_("The price cannot be negative."))
        return None
    digits = vnd_digits(typed)
    if digits is None:
        errors["price_vnd"] = Problem(N_("Give the price in đồng, digits only, e.g. 150000."))
        return None
    # Compare lengths first: int() of a huge digit string is slow, and this is public input.
    value = bounded_int(digits, len(str(MAX_PRICE_VND)))
    if value is None or value > MAX_PRICE_VND:
        errors["price_vnd"] = Problem(N_("The price cannot be more than {limit} đồng."),
                                      {"limit": MAX_PRICE_VND})
        return None
    return value


def _purchase_date(typed: str, today: dt.date, errors: Errors) -> dt.date | None:
    typed = typed.strip()
    if not typed:
        return None
    parsed = None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = dt.datetime.strptime(typed, pattern).date()
            break
        except ValueError:
            continue
    if parsed is None:
        errors["purchase_date"] = Problem(N_("Give a date as dd/mm/yyyy."))
        return None
    if parsed > today:
        errors["purchase_date"] = Problem(N_("The purchase date cannot be in the future."))
        return None
    if parsed < EARLIEST_PURCHASE:
        errors["purchase_date"] = Problem(N_("Give a date after 01/01/2000."))
        return None
    return parsed


def _position(raw: Mapping[str, str], errors: Errors) -> tuple[float | None, float | None]:
    typed = {name: raw.get(name, "").strip() for name in ("latitude", "longitude")}
    if not typed["latitude"] and not typed["longitude"]:
        return None, None
    values: dict[str, float] = {}
    for name, limit in (("latitude", 90.0), ("longitude", 180.0)):
        try:
            value = float(typed[name])
        except ValueError:
            errors[name] = Problem(N_("Give a number in degrees, e.g. 21.0285."))
            continue
        if not math.isfinite(value) or not -limit <= value <= limit:
            errors[name] = Problem(N_("Must be between -{limit} and {limit} degrees."),
                                   {"limit": int(limit)})
            continue
        values[name] = value
    if len(values) != 2:
        return None, None
    return values["latitude"], values["longitude"]
