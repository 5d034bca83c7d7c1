"""Validation of a citizen's report: raw text in, a clean `ReportDraft` or field errors out.

Each field is read as its declaration says (workflows.cases.report_fields, by its kind:
workflows.cases.field_kinds); then the rules that join fields are checked. Pure functions, no
I/O. Messages are English gettext ids marked with `N_`; pages translate them (Vietnamese
first) and the API answers in the language asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from workflows.cases.draft import ReportDraft
from workflows.cases.field_kinds import KINDS, Reading
from workflows.cases.phones import takes_sms
from workflows.cases.quantities import number_and_unit
from workflows.cases.report_fields import BY_NAME, FIELDS
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Errors, Problem
from workflows.reference.places import Places
from workflows.reference.vietnamese import fold


@dataclass(frozen=True)
class CheckedReport:
    """A report's fields checked once, for everything one request does with them (the offer
    of the same goods, the filing, the form sent back): the draft when it can be filed as it
    is, else None, and each field's problem."""

    draft: ReportDraft | None
    errors: Errors


def _together(values: dict[str, object], errors: Errors, places: Places) -> None:
    """The rules that join fields: goods sold online say where; contact details come with the
    reporter's consent; SMS need a mobile number; a position is both its coordinates, within
    the province."""
    if (values.get("sales_channel") == "online" and not values.get("online_url")
            and not values.get("platform") and "online_url" not in errors):
        errors["online_url"] = Problem(
            N_("For goods sold online, give the page address or the platform's name."))
    contact = any(values.get(name) for name in ("reporter_name", "reporter_phone",
                                                "reporter_email"))
    if contact and not values.get("consent"):
        errors["consent"] = Problem(N_(
            "To leave your name or contact details, agree that the agencies may use them "
            "to handle this report. Or leave them empty to report anonymously."))
    if values.get("notify_sms") and "reporter_phone" not in errors:
        phone = values.get("reporter_phone")
        if not phone:
            errors["notify_sms"] = Problem(N_("To receive SMS, give your mobile phone number."))
        elif not takes_sms(str(phone)):
            errors["reporter_phone"] = Problem(N_(
                "SMS go to Vietnamese mobile numbers only, e.g. 0905 123 987. Give one, or "
                "untick the SMS box."))
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if (latitude is None) != (longitude is None) and not {"latitude", "longitude"} & set(errors):
        missing = "longitude" if longitude is None else "latitude"
        errors[missing] = Problem(N_("Give a number in degrees, e.g. 21.0285."))
    elif (isinstance(latitude, float) and isinstance(longitude, float)
          and not places.contains(latitude, longitude)):
        errors["latitude"] = Problem(N_("This position ({latitude}, {longitude}) is outside "
                                        "{province}: give the place where the goods were sold."),
                                     {"latitude": latitude, "longitude": longitude,
                                      "province": places.province or "Việt Nam"})
    if "latitude" in errors or "longitude" in errors:
        values["latitude"] = values["longitude"] = None


def _units(raw: Mapping[str, str], values: dict[str, object], errors: Errors,
           reading: Reading) -> None:
    """A unit typed after a number ("2 chai") fills the field its declaration names, unless
    that field says another unit."""
    for field in FIELDS:
        _, typed = number_and_unit(raw.get(field.name, "")) if field.unit else ("", "")
        if not typed or field.name in errors or field.unit in errors:
            continue
        unit_field = BY_NAME[field.unit]
        unit = KINDS[unit_field.kind](typed, unit_field, reading)
        given = values.get(field.unit)
        if isinstance(unit, Problem):
            errors[field.name] = unit
        elif not given:
            values[field.unit] = unit
        elif fold(str(given)) != fold(str(unit)):
            errors[field.unit] = Problem(
                N_("The quantity says {typed} and this box {given}: keep one unit."),
                {"typed": unit, "given": given})


def validate_report(
    raw: Mapping[str, str],
    places: Places,
    *,
    max_description_chars: int,
    today: dt.date | None = None,
    description_optional: bool = False,
) -> tuple[ReportDraft | None, Errors]:
    reading = Reading(places, max_description_chars, today or dt.datetime.now(VIETNAM).date(),
                      description_optional)
    values: dict[str, object] = {}
    errors: Errors = {}
    for field in FIELDS:
        value = KINDS[field.kind](raw.get(field.name, ""), field, reading)
        if isinstance(value, Problem):
            errors[field.name] = value
            value = None
        values[field.name] = value
    _units(raw, values, errors, reading)
    _together(values, errors, places)
    if errors:
        return None, errors
    return ReportDraft(values), {}
