"""A report's fields, each declared once: what it holds and how it is checked, how the form
asks for it, what Open311 calls it, who may see it and whether the line list carries it. The
citizens' form and the officers' hotline form, the validation, the Open311 service definition
and parser, the staff case page, the line list and what a business, a brand owner or an
agency's mailbox is shown are all read from `FIELDS`. The Case model keeps a column of the
same name for each (tests/workflows/cases/test_report_fields.py checks that they agree).

Adding a field: declare it here, add its column to the model and a migration, translate its
label and hint. Nothing else names it."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workflows.i18n import formatting
from workflows.i18n.messages import N_
from workflows.i18n.translations import Translator
from workflows.reference import catalog
from workflows.reference.catalog import Term

# Who, besides staff, is shown a field (its value, never more).
AGENCY = "agency"  # an agency's mailbox, in its alert (no reporter, no description)
BUSINESS = "business"  # a business asked to explain
BRAND_OWNER = "brand_owner"  # a verified brand owner asked for its opinion
PUBLIC = "public"  # anyone: Open311's lists, /track
# Pages and mail also ask for these: every field staff see beside the case, and the
# reporter's own contact details and consent (shown only to staff who may see personal data).
STAFF = "staff"
REPORTER = "reporter"


@dataclass(frozen=True)
class Open311:
    """How Open311 carries the field: `attribute[code]` (described in the service
    definition), or a standard GeoReport parameter (`standard=True`)."""

    code: str
    datatype: str = "string"  # string, number, datetime, singlevaluelist
    description: str = ""  # a gettext id; no colon (FixMyStreet cuts a description there)
    datatype_description: str = ""  # a gettext id: what a value may look like
    standard: bool = False


@dataclass(frozen=True)
class ReportField:
    name: str  # the form's input, the draft's key, the Case's column
    label: str  # a gettext id
    kind: str  # how it is checked (workflows.cases.validation.PARSERS)
    section: int  # the form's section (SECTIONS)
    required: bool = False
    limit: int | None = None  # characters; for a number, its largest value
    terms: tuple[Term, ...] = ()  # a choice's
    default: str = ""  # a choice's when left empty
    choose: str = ""  # a gettext id: a choice's message when the value is none of its terms
    hint: str = ""  # a gettext id
    attrs: str = ""  # the form input's extra attributes
    input_type: str = "text"  # the form input's type
    widget: str = ""  # how the form draws it when not by its kind: "radios", "brand"
    unit: str = ""  # a number's: the field that keeps a unit typed after it ("2 chai")
    open311: Open311 | None = None
    shown_to: frozenset[str] = frozenset()  # besides staff (AGENCY, BUSINESS, BRAND_OWNER…)
    personal: bool = False  # the reporter's own: shown only to staff who may see it
    export: bool = False  # a column of the line list
    sample: Callable[[random.Random], object] | None = None  # a demonstration value


@dataclass(frozen=True)
class Section:
    number: int
    title: str  # a gettext id
    intro: str = ""  # a gettext id
    photos: bool = False  # the files are asked for here, after its fields


SECTIONS = (
    Section(1, N_("1. What is wrong")),
    Section(2, N_("2. The product")),
    Section(3, N_("3. Where it was sold")),
    Section(4, N_("4. What happened"), photos=True),
    Section(5, N_("5. About you (optional)"),
            N_("Leave these empty to report anonymously. You will get a code and a PIN to "
               "follow your report and to answer the agency's questions.")),
)
EVERYONE_ASKED = frozenset({AGENCY, BUSINESS, BRAND_OWNER})
NUMBER = N_("A number, e.g. 2 or 2.0; a decimal is accepted where it is whole.")
AMOUNT = N_("A number of đồng, e.g. 25000; decimals are rounded to the đồng.")
DATE = N_("A date (2026-11-01) or an ISO 8601 datetime (2026-11-01T08:30:00+07:00), whose day "
          "in Vietnam is kept.")
YES_NO = (Term("true", N_("Yes")), Term("false", N_("No")))
NUMERIC = 'inputmode="numeric"'

FIELDS: tuple[ReportField, ...] = (
    ReportField("category", N_("What is wrong"), "choice", 1, required=True,
                terms=catalog.CATEGORIES,
                choose=N_("Choose what kind of problem you are reporting."), widget="radios",
                open311=Open311("service_code", standard=True),
                shown_to=EVERYONE_ASKED | {PUBLIC}, export=True),
    ReportField("product_name", N_("Product name"), "text", 2, required=True, limit=200,
                hint=N_("As written on the package, e.g. “Nước mắm Phú Quốc 500 ml”."),
                open311=Open311("product_name", description=N_("Product name")),
                shown_to=EVERYONE_ASKED, export=True),
    ReportField("brand", N_("Brand"), "text", 2, limit=200,
                hint=N_("Its owner may have published how to tell the genuine product: see "
                        "the guides."), widget="brand",
                open311=Open311("brand", description=N_("Brand on the label")),
                shown_to=EVERYONE_ASKED, export=True),
    ReportField("product_group", N_("Kind of product"), "choice", 2, required=True,
                terms=catalog.PRODUCT_GROUPS, choose=N_("Choose the kind of product."),
                open311=Open311("product_group", "singlevaluelist",
                                description=N_("Kind of product")),
                shown_to=frozenset({AGENCY, BRAND_OWNER}), export=True),
    ReportField("barcode", N_("Barcode or traceability stamp code"), "barcode", 2, limit=32,
                hint=N_("The digits under the barcode on the back of the package (8 or 13 "
                        "digits), or the code on the traceability stamp."),
                attrs='inputmode="numeric" autocomplete="off"',
                open311=Open311("barcode", description=N_("Barcode (EAN-13, EAN-8, UPC-A) or "
                                                          "stamp code")),
                shown_to=frozenset({BUSINESS, BRAND_OWNER})),
    ReportField("label_origin", N_("Origin printed on the label"), "choice", 2,
                terms=catalog.LABEL_ORIGINS, default="unknown",
                choose=N_("Choose an origin from the list."),
                open311=Open311("label_origin", "singlevaluelist",
                                description=N_("Origin printed on the label")),
                shown_to=frozenset({BRAND_OWNER})),
    # No numeric keypad: people write the unit after the number ("2 chai").
    ReportField("quantity", N_("Quantity bought"), "whole", 2, limit=1_000_000,
                hint=N_("A whole number, with its unit if you like: 2 chai, 3 hộp."),
                unit="quantity_unit",
                open311=Open311("quantity", "number", N_("Quantity bought"), NUMBER)),
    ReportField("quantity_unit", N_("Unit"), "text", 2, limit=32,
                hint=N_("For example chai, hộp, gói, kg."),
                open311=Open311("quantity_unit",
                                description=N_("Unit of the quantity bought (chai, hộp, kg…)"))),
    ReportField("price_vnd", N_("Price paid (đồng)"), "amount", 2, limit=10**12,
                hint=N_("For example 150000 or 150.000."), attrs=NUMERIC,
                open311=Open311("price_vnd", "number", N_("Price paid (đồng)"), AMOUNT),
                shown_to=frozenset({BRAND_OWNER}),
                sample=lambda rng: rng.randrange(20, 5000) * 1000),
    ReportField("purchase_date", N_("Purchase date"), "date", 2, hint=N_("dd/mm/yyyy"),
                input_type="date",
                open311=Open311("purchase_date", "datetime", N_("Purchase date"), DATE)),
    ReportField("sales_channel", N_("Where it was sold"), "choice", 3, required=True,
                terms=catalog.SALES_CHANNELS, choose=N_("Choose where the product was sold."),
                open311=Open311("channel", "singlevaluelist",
                                description=N_("Where it was sold")),
                shown_to=EVERYONE_ASKED, export=True),
    ReportField("shop_name", N_("Shop or seller name"), "text", 3, limit=200,
                open311=Open311("shop_name", description=N_("Shop or seller name")),
                shown_to=frozenset({AGENCY, BUSINESS}), export=True),
    ReportField("commune", N_("Commune or ward"), "commune", 3, limit=100,
                open311=Open311("commune", "singlevaluelist",
                                description=N_("Commune or ward of the shop")),
                shown_to=EVERYONE_ASKED | {PUBLIC}, export=True),
    ReportField("street", N_("Street address"), "text", 3, limit=200,
                hint=N_("House number and street, or the market and stall."),
                open311=Open311("street", description=N_("Street address of the shop"))),
    ReportField("latitude", N_("Latitude"), "latitude", 3, limit=90,
                attrs='inputmode="decimal" autocomplete="off"',
                open311=Open311("lat", standard=True)),
    ReportField("longitude", N_("Longitude"), "longitude", 3, limit=180,
                attrs='inputmode="decimal" autocomplete="off"',
                open311=Open311("long", standard=True)),
    ReportField("online_url", N_("Web page of the shop or product"), "url", 3, limit=500,
                hint=N_("For goods sold online: the address of the page (copy it from the "
                        "browser)."), input_type="url",
                open311=Open311("url", description=N_("Web page of an online shop")),
                shown_to=frozenset({AGENCY})),
    ReportField("platform", N_("Platform"), "text", 3, limit=100,
                hint=N_("For example Shopee, TikTok Shop, Lazada, Facebook, Zalo."),
                open311=Open311("platform",
                                description=N_("Online platform (e.g. Shopee, Facebook)")),
                shown_to=EVERYONE_ASKED, export=True),
    ReportField("description", N_("What happened"), "longtext", 4, required=True,
                personal=True,
                hint=N_("When and where you bought it, what makes you think it is fake or "
                        "unsafe, what the seller said."),
                open311=Open311("description", standard=True)),
    ReportField("reporter_name", N_("Your name"), "text", 5, limit=100,
                attrs='autocomplete="name"', personal=True),
    ReportField("reporter_phone", N_("Phone"), "phone", 5, limit=20, input_type="tel",
                attrs='autocomplete="tel"', open311=Open311("phone", standard=True),
                personal=True),
    ReportField("notify_sms", N_("SMS"), "flag", 5,
                hint=N_("Receive SMS about this report"),
                open311=Open311("notify_sms", "singlevaluelist",
                                N_("Send the reporter SMS about the report (a Vietnamese mobile "
                                   "number in phone and the reporter's consent are needed)")),
                personal=True),
    ReportField("reporter_email", N_("Email"), "email", 5, limit=254, input_type="email",
                attrs='autocomplete="email"', open311=Open311("email", standard=True),
                personal=True),
    ReportField("consent", N_("Consent"), "flag", 5,
                hint=N_("I agree that the agencies handling this report may use my name and "
                        "contact details to contact me about it. They are never published."),
                open311=Open311("consent", "singlevaluelist",
                                N_("The reporter agrees that the agencies use their contact "
                                   "details. Without it (or a client registered as asking its "
                                   "users' consent), first_name, last_name, email and phone "
                                   "are not stored; the report is filed all the same.")),
                personal=True),
)
BY_NAME: dict[str, ReportField] = {field.name: field for field in FIELDS}


def section_fields(section: Section) -> list[ReportField]:
    return [field for field in FIELDS if field.section == section.number]


def shown_to(audience: str) -> tuple[ReportField, ...]:
    """The fields an audience is shown (STAFF: all but the personal; REPORTER: the reporter's
    contact details)."""
    if audience == STAFF:
        return tuple(field for field in FIELDS if not field.personal)
    if audience == REPORTER:  # the description is shown on its own
        return tuple(field for field in FIELDS if field.personal and field.kind != "longtext")
    return tuple(field for field in FIELDS if audience in field.shown_to)


def facts_of(record: Any, fields: Iterable[ReportField]) -> tuple[tuple[ReportField, Any], ...]:
    """The fields' values on a case (or anything with those attributes), the empty left out
    (and a flag not given: an anonymous reporter's consent is nothing to show)."""
    found = ((field, getattr(record, field.name)) for field in fields)
    return tuple((field, value) for field, value in found
                 if not (value is None or value == "" or value is False))


def shown(field: ReportField, value: object, words: Translator) -> str:
    """A value as the reader sees it: a choice by its label, a sum in đồng, a date as
    dd/mm/yyyy, a flag as yes or no."""
    if value is None or value == "":
        return ""
    if field.terms:
        return words.label(field.terms, str(value))
    if field.kind == "amount" and isinstance(value, int):
        return formatting.format_vnd(value, words.language)
    if field.kind == "date":
        return formatting.format_date(value)  # type: ignore[arg-type]
    if field.kind == "flag":
        return words.gettext(N_("Yes") if value else N_("No"))
    if field.kind == "whole" and isinstance(value, int):
        return formatting.format_number(value, words.language)
    return str(value)


def rows(facts: Iterable[tuple[ReportField, Any]], words: Translator) -> list[tuple[str, str]]:
    """Facts as a page or a mail lists them: each field's label and its value, in words; a
    number with its unit as one ("Quantity bought: 2 chai"), not a second row "Unit"."""
    listed = tuple(facts)
    units = {field.name: str(value) for field, value in listed}
    joined = {field.unit for field, _ in listed if field.unit in units}
    return [(words.gettext(field.label),
             " ".join(filter(None, (shown(field, value, words), units.get(field.unit, "")))))
            for field, value in listed if field.name not in joined]


def template_facts(words: Translator) -> dict[str, Callable[..., list[tuple[str, str]]]]:
    """What pages and mail list a report's fields with: `facts(case, audience)` and
    `fact_rows(facts)` (facts already chosen, as a GoodsFacts carries them)."""
    return {"facts": lambda record, audience: rows(facts_of(record, shown_to(audience)), words),
            "fact_rows": lambda facts: rows(facts, words)}


def labels() -> Mapping[str, str]:
    """Each field's label (a gettext id) by name, and the files': what error summaries name."""
    return {**{field.name: field.label for field in FIELDS}, "photos": N_("Photos or receipts")}
