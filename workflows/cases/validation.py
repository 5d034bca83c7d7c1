"""Validation of a citizen's report: raw text in, a clean `ReportDraft` or field errors out.

Pure functions, no I/O. Messages are English gettext ids marked with `N_`; pages translate
them (Vietnamese first) and the API answers in the language asked for.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Errors, Problem
from workflows.reference.catalog import (
    CATEGORY_CODES,
    LABEL_ORIGIN_CODES,
    PRODUCT_GROUP_CODES,
    SALES_CHANNEL_CODES,
)
from workflows.reference.places import Places


@dataclass(frozen=True)
class ReportDraft:
    """A validated report, as the forms layer hands it over."""

    category: str
    product_name: str
    product_group: str
    sales_channel: str
    description: str
    brand: str = ""
    barcode: str = ""
    label_origin: str = "unknown"
    quantity: int | None = None
    price_vnd: int | None = None
    purchase_date: dt.date | None = None
    shop_name: str = ""
    commune: str = ""
    street: str = ""
    online_url: str = ""
    platform: str = ""
    latitude: float | None = None
    longitude: float | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    consent: bool = False
    language: str = "vi"
    intake_channel: str = "web"


# The report's fields as the forms and error summaries name them.
REPORT_LABELS: dict[str, str] = {
    "category": N_("What is wrong"),
    "product_name": N_("Product name"),
    "brand": N_("Brand"),
    "product_group": N_("Kind of product"),
    "barcode": N_("Barcode or traceability stamp code"),
    "label_origin": N_("Origin printed on the label"),
    "quantity": N_("Quantity bought"),
    "price_vnd": N_("Price paid (đồng)"),
    "purchase_date": N_("Purchase date"),
    "sales_channel": N_("Where it was sold"),
    "shop_name": N_("Shop or seller name"),
    "commune": N_("Commune or ward"),
    "street": N_("Street address"),
    "online_url": N_("Web page of the shop or product"),
    "platform": N_("Platform"),
    "description": N_("What happened"),
    "photos": N_("Photos or receipts"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "reporter_name": N_("Your name"),
    "reporter_phone": N_("Phone"),
    "reporter_email": N_("Email"),
    "consent": N_("Consent"),
}

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
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PRICE_DECORATIONS = re.compile(r"[\s.,]|đ$|₫$|vnd$|vnđ$", re.IGNORECASE)


def clean_text(raw: str, *, multiline: bool = False) -> str | Problem:
    """NFC-normalised, stripped text; control characters (a NUL, a CR/LF in a name) refused."""
    text = unicodedata.normalize("NFC", raw).strip()
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text):
        return Problem(N_("This field contains characters that are not allowed."))
    return text.replace("\r\n", "\n") if multiline else text


def validate_report(
    raw: Mapping[str, str],
    places: Places,
    *,
    max_description_chars: int,
    today: dt.date | None = None,
) -> tuple[ReportDraft | None, Errors]:
    errors: Errors = {}
    today = today or dt.datetime.now(VIETNAM).date()
    values: dict[str, object] = {}

    def text(name: str, *, required: bool = False, multiline: bool = False,
             limit: int | None = None) -> str:
        cleaned = clean_text(raw.get(name, ""), multiline=multiline)
        if isinstance(cleaned, Problem):
            errors[name] = cleaned
            return ""
        limit = limit or TEXT_LIMITS.get(name)
        if required and not cleaned:
            errors[name] = Problem(N_("This field is required."))
        elif limit and len(cleaned) > limit:
            errors[name] = Problem(N_("At most {limit} characters (you typed {length})."),
                                   {"limit": limit, "length": len(cleaned)})
        return cleaned

    def choice(name: str, allowed: frozenset[str], message: str, default: str = "") -> str:
        value = raw.get(name, "").strip() or default
        if value not in allowed:
            errors[name] = Problem(message)
        return value

    values["category"] = choice("category", CATEGORY_CODES,
                                N_("Choose what kind of problem you are reporting."))
    values["product_group"] = choice("product_group", PRODUCT_GROUP_CODES,
                                     N_("Choose the kind of product."))
    values["sales_channel"] = choice("sales_channel", SALES_CHANNEL_CODES,
                                     N_("Choose where the product was sold."))
    values["label_origin"] = choice("label_origin", LABEL_ORIGIN_CODES,
                                    N_("Choose an origin from the list."), default="unknown")
    values["product_name"] = text("product_name", required=True)
    for name in ("brand", "shop_name", "street", "platform", "reporter_name"):
        values[name] = text(name)
    values["description"] = text("description", required=True, multiline=True,
                                 limit=max_description_chars)
    if "description" not in errors and len(str(values["description"])) < MIN_DESCRIPTION_CHARS:
        errors["description"] = Problem(
            N_("Please describe what happened in at least {minimum} characters."),
            {"minimum": MIN_DESCRIPTION_CHARS})

    barcode = text("barcode")
    if barcode and not BARCODE_PATTERN.match(barcode):
        errors["barcode"] = Problem(N_("Type the digits and letters printed under the barcode."))
    values["barcode"] = barcode

    commune = text("commune")
    if commune and not places.accepts(commune):
        errors["commune"] = Problem(N_("Choose a commune or ward from the list."))
    values["commune"] = commune

    values["online_url"] = url = text("online_url")
    if url and urlsplit(url).scheme not in ("http", "https"):
        errors["online_url"] = Problem(N_("Give a web address starting with http:// or https://."))
    if (values["sales_channel"] == "online" and not url and not values["platform"]
            and "online_url" not in errors):
        errors["online_url"] = Problem(
            N_("For goods sold online, give the page address or the platform's name."))

    values["quantity"] = _whole_number(raw, "quantity", 1, MAX_QUANTITY, errors)
    values["price_vnd"] = _price(raw.get("price_vnd", ""), errors)
    values["purchase_date"] = _purchase_date(raw.get("purchase_date", ""), today, errors)
    values["latitude"], values["longitude"] = _position(raw, errors)

    phone = text("reporter_phone").replace(" ", "").replace(".", "").replace("-", "")
    if phone and not PHONE_PATTERN.match(phone):
        errors["reporter_phone"] = Problem(N_("Give a phone number of 9 to 15 digits."))
    values["reporter_phone"] = phone
    email = text("reporter_email")
    if email and not EMAIL_PATTERN.match(email):
        errors["reporter_email"] = Problem(N_("Give an email address such as ten@example.com."))
    values["reporter_email"] = email
    consent = raw.get("consent", "") in ("1", "on", "yes", "true")
    if (values["reporter_name"] or phone or email) and not consent:
        errors["consent"] = Problem(N_(
            "To leave your name or contact details, agree that the agencies may use them "
            "to handle this report. Or leave them empty to report anonymously."))
    values["consent"] = consent

    if errors:
        return None, errors
    return ReportDraft(**values), {}  # type: ignore[arg-type]


def _whole_number(raw: Mapping[str, str], name: str, low: int, high: int,
                  errors: Errors) -> int | None:
    typed = raw.get(name, "").strip()
    if not typed:
        return None
    if not (typed.isascii() and typed.isdigit()):
        errors[name] = Problem(N_("Give a whole number."))
        return None
    value = int(typed)
    if not low <= value <= high:
        errors[name] = Problem(N_("Give a number from {low} to {high}."),
                               {"low": low, "high": high})
        return None
    return value


def _price(typed: str, errors: Errors) -> int | None:
    """Accept what people write: 120000, 120.000, 120,000 đ."""
    typed = typed.strip()
    if not typed:
        return None
    if typed.startswith("-"):
        errors["price_vnd"] = Problem(N_("The price cannot be negative."))
        return None
    digits = _PRICE_DECORATIONS.sub("", typed)
    if not (digits.isascii() and digits.isdigit()):
        errors["price_vnd"] = Problem(N_("Give the price in đồng, digits only, e.g. 150000."))
        return None
    # Compare lengths first: int() of a huge digit string is slow, and this is public input.
    if len(digits.lstrip("0")) > len(str(MAX_PRICE_VND)) or int(digits) > MAX_PRICE_VND:
        errors["price_vnd"] = Problem(N_("The price cannot be more than {limit} đồng."),
                                      {"limit": MAX_PRICE_VND})
        return None
    return int(digits)


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
