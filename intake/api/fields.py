"""How Open311 GeoReport v2 fields map onto a report's fields: service codes are the report
categories, the counterfeit fields travel as `attribute[...]`.

Lenient where the spec is: an ISO 8601 datetime where a date is asked, a decimal where a
number is, `attribute[code][]` for a list, and attributes this service does not know (a
FixMyStreet title, a client's own reference) kept on the case for staff, never a refusal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from workflows.cases.report_fields import FIELDS
from workflows.cases.text import clean_text, has_words
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Errors, Problem

MEDIA_FIELD = "media"
# attribute[<code>] -> the report field it fills; the standard GeoReport parameters -> theirs
# (each field's declaration says: workflows.cases.report_fields).
ATTRIBUTES: dict[str, str] = {field.open311.code: field.name for field in FIELDS
                              if field.open311 and not field.open311.standard}
STANDARD_FIELDS: dict[str, str] = {field.open311.code: field.name for field in FIELDS
                                   if field.open311 and field.open311.standard}
_KIND_OF = {field.open311.code: field.kind for field in FIELDS if field.open311}
WHOLE_NUMBERS = frozenset(code for code, kind in _KIND_OF.items() if kind == "whole")
ROUNDED_NUMBERS = frozenset(code for code, kind in _KIND_OF.items()
                            if kind == "amount")  # đồng have no smaller unit
DATES = frozenset(code for code, kind in _KIND_OF.items() if kind == "date")
CONTACT_FIELDS = ("first_name", "last_name", "email", "phone")
# Accepted by the standard and not used here (media_url is kept for staff, as an extra).
IGNORED_FIELDS = frozenset({"jurisdiction_id", "api_key", "device_id", "deviceid",
                            "account_id", "address_id", "address_string", "first_name",
                            "last_name", "media_url"})
# The spec's location: lat and long, address_string or address_id (here the official code of
# the commune or ward, as attribute[commune] may also give it).
NO_LOCATION = N_("Say where the goods were sold: lat and long, address_string, or address_id "
                 "(the official code of the commune or ward).")
CONTACT_NOT_KEPT = N_("Contact details were not stored: this client is not registered as "
                      "asking its users' consent (intake api-client create --collects-consent), "
                      "and attribute[consent] was not true. The report was filed without them.")
PERSONAL_FIELDS = ("reporter_name", "reporter_email", "reporter_phone", "notify_sms")
# A report field -> the name a client sent it under, for error messages.
API_NAME = {field: f"attribute[{name}]" for name, field in ATTRIBUTES.items()} | {
    field: name for name, field in STANDARD_FIELDS.items()
} | {"reporter_name": "first_name", "photos": MEDIA_FIELD, "form": "request"}
# The parameters that fill one field each (the place's two stand in for attributes).
ONE_VALUE = {**STANDARD_FIELDS, "address_string": "street", "address_id": "commune",
             "first_name": "reporter_name", "last_name": "reporter_name"}
MAX_EXTRAS = 30
MAX_EXTRA_NAME_CHARS = 64
MAX_EXTRA_VALUE_CHARS = 1000
_DECIMAL = re.compile(r"^[+-]?[0-9]{1,15}(\.[0-9]{1,6})?$")
# What an attribute Intake does not know may not smuggle past the consent the reporter did not
# give: contact details by the attribute's name, or by what its value looks like.
_CONTACT_NAME = re.compile(
    r"mail|phone|tel|mobile|name|contact|zalo|address|cccd|cmnd|sdt|ho_?ten|dien_?thoai|"
    r"dia_?chi|lien_?he|(^|_)ten($|_)", re.IGNORECASE)
_CONTACT_VALUE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+|\+?[0-9][0-9 .-]{7,}[0-9]")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]*)\](\[\])?$")


@dataclass
class ApiReport:
    values: dict[str, str] = field(default_factory=dict)  # the report's fields, as the form's
    extras: dict[str, str] = field(default_factory=dict)  # attributes with no field here
    errors: Errors = field(default_factory=dict)
    contact_dropped: bool = False  # contact details sent without consent, and not kept
    # A field filled from a standard parameter instead of its attribute, by the name it came
    # under: an error about it names what the client sent (address_id, not attribute[commune]).
    sent_as: dict[str, str] = field(default_factory=dict)


def _number(name: str, typed: str) -> str:
    """A decimal as the form's validation reads it: whole, or rounded where allowed. Anything
    else goes on as typed, for the validation's own message."""
    if not _DECIMAL.match(typed.strip()) or "." not in typed:
        return typed
    try:
        value = Decimal(typed.strip())
    except InvalidOperation:
        return typed
    if name in ROUNDED_NUMBERS:
        return str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return str(int(value)) if value == value.to_integral_value() else typed


def _date(typed: str) -> str:
    """An ISO 8601 datetime as its day in Vietnam; a date as it is."""
    text = typed.strip()
    if len(text) <= 10:
        return typed
    try:
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            moment = moment.astimezone(VIETNAM)
    except (ValueError, OverflowError):  # the validation says what a date looks like
        return typed
    return moment.date().isoformat()


def _extra(name: str, values: list[str]) -> tuple[str, str] | None:
    """An unknown attribute as staff may see it: its name and values with nothing invisible
    or disguising in them, and bounded."""
    cleaned = [clean_text(value, multiline=True) for value in values]
    texts = [value for value in cleaned if isinstance(value, str) and value]
    label = clean_text(name)
    if not texts or not isinstance(label, str) or not label:
        return None
    return label[:MAX_EXTRA_NAME_CHARS], ", ".join(texts)[:MAX_EXTRA_VALUE_CHARS]


def _attribute_values(items: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in items:
        matched = _ATTRIBUTE.match(name)
        if matched:
            found.setdefault(matched.group(1), []).append(value)
    return found


def _consented(first: dict[str, str], consent_collected: bool) -> bool:
    given = first.get("attribute[consent]", "").strip().lower() in ("true", "1", "yes")
    return given or (consent_collected and any(first.get(name) for name in CONTACT_FIELDS))


def report_fields(items: Iterable[tuple[str, str]], *, consent_collected: bool) -> ApiReport:
    """The report's fields from a request's text fields (in order, repeated names kept).
    `consent_collected`: the client is registered as asking its users for their consent."""
    items = list(items)
    first = {name: value for name, value in reversed(items)}
    consented = _consented(first, consent_collected)
    report = ApiReport()
    for attribute, values in _attribute_values(items).items():
        target = ATTRIBUTES.get(attribute)
        if target is None:
            extra = _extra(attribute, values)
            personal = extra and (_CONTACT_NAME.search(extra[0]) or _CONTACT_VALUE.search(extra[1]))
            if extra and not (personal and not consented) and len(report.extras) < MAX_EXTRAS:
                report.extras[extra[0]] = extra[1]
            continue
        if len(set(values)) > 1:
            report.errors[target] = Problem(N_("Give one value."))
            continue
        value = values[0]
        if attribute in WHOLE_NUMBERS | ROUNDED_NUMBERS:
            value = _number(attribute, value)
        elif attribute in DATES:
            value = _date(value)
        report.values[target] = value
    for name, target in ONE_VALUE.items():
        # Two values for one parameter, as for an attribute: which was meant is not ours to
        # guess (contact details without consent are dropped below, never a refusal).
        if len({value for sent, value in items if sent == name}) > 1 and (
                consented or target not in PERSONAL_FIELDS):
            report.errors[target] = Problem(N_("Give one value."))
            report.sent_as[target] = name
    for name, target in STANDARD_FIELDS.items():
        if name in first and target not in report.errors:
            report.values[target] = first[name]
    if not report.values.get("street", "").strip() and first.get("address_string"):
        report.values["street"] = first["address_string"]
        report.sent_as["street"] = "address_string"
    if first.get("media_url", "").startswith(("https://", "http://")):
        extra = _extra("media_url", [first["media_url"]])
        if extra:
            report.extras["media_url"] = extra[1]
    if not report.values.get("commune", "").strip() and first.get("address_id", "").strip():
        report.values["commune"] = first["address_id"].strip()
        report.sent_as["commune"] = "address_id"
    has_position = bool(first.get("lat", "").strip() and first.get("long", "").strip())
    if not (has_position or has_words(first.get("address_string", ""))
            or report.values.get("commune", "").strip()):
        report.errors["latitude"] = Problem(NO_LOCATION)
    report.values["reporter_name"] = " ".join(
        part for part in (first.get("first_name", "").strip(), first.get("last_name", "").strip())
        if part)
    if consented:
        report.values["consent"] = "1"
    elif any(report.values.get(name, "").strip() for name in PERSONAL_FIELDS):
        # FixMyStreet always sends the person's name and address: without consent they are
        # dropped, never a refusal, and the answer's service_notice says so.
        for name in PERSONAL_FIELDS:
            report.values.pop(name, None)
        report.contact_dropped = True
    return report
