"""Open311 services: the report categories, and the attributes a report of each takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import answer, error_response, words
from intake.api.requests import UNKNOWN_SERVICE
from intake.context import app_context
from workflows.i18n.messages import N_, Problem
from workflows.i18n.translations import Translator
from workflows.reference.catalog import (
    CATEGORIES,
    LABEL_ORIGINS,
    PRODUCT_GROUPS,
    SALES_CHANNELS,
    Term,
    find,
)


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    description: str  # a gettext id; no colon (FixMyStreet cuts a description at its first)
    datatype_description: str = ""  # a gettext id: what a value may look like
    values: tuple[Term, ...] | None = None


NUMBER = N_("A number, e.g. 2 or 2.0; a decimal is accepted where it is whole.")
AMOUNT = N_("A number of đồng, e.g. 25000; decimals are rounded to the đồng.")
DATE = N_("A date (2026-11-01) or an ISO 8601 datetime (2026-11-01T08:30:00+07:00), whose day "
          "in Vietnam is kept.")
YES_NO = (Term("true", N_("Yes")), Term("false", N_("No")))
ATTRIBUTE_TABLE: tuple[Attribute, ...] = (
    Attribute("product_name", "string", True, N_("Product name")),
    Attribute("brand", "string", False, N_("Brand on the label")),
    Attribute("product_group", "singlevaluelist", True, N_("Kind of product"),
              values=PRODUCT_GROUPS),
    Attribute("barcode", "string", False, N_("Barcode (EAN-13, EAN-8, UPC-A) or stamp code")),
    Attribute("label_origin", "singlevaluelist", False, N_("Origin printed on the label"),
              values=LABEL_ORIGINS),
    Attribute("quantity", "number", False, N_("Quantity bought"), NUMBER),
    Attribute("price_vnd", "number", False, N_("Price paid (đồng)"), AMOUNT),
    Attribute("purchase_date", "datetime", False, N_("Purchase date"), DATE),
    Attribute("channel", "singlevaluelist", True, N_("Where it was sold"), values=SALES_CHANNELS),
    Attribute("shop_name", "string", False, N_("Shop or seller name")),
    Attribute("commune", "singlevaluelist", False, N_("Commune or ward of the shop")),
    Attribute("street", "string", False, N_("Street address of the shop")),
    Attribute("url", "string", False, N_("Web page of an online shop")),
    Attribute("platform", "string", False, N_("Online platform (e.g. Shopee, Facebook)")),
    Attribute("consent", "singlevaluelist", False,
              N_("The reporter agrees that the agencies use their contact details"),
              values=YES_NO),
)


def _service(term: Term, said: Translator) -> dict[str, object]:
    return {"service_code": term.code, "service_name": said.gettext(term.label),
            "description": said.gettext(term.hint), "metadata": True, "type": "realtime",
            "keywords": "", "group": ""}


async def services(request: Request) -> Response:
    said = words(request)
    return answer(request, "services", [_service(term, said) for term in CATEGORIES])


def _values(terms: tuple[Term, ...], said: Translator) -> list[dict[str, str]]:
    return [{"key": term.code, "name": said.gettext(term.label)} for term in terms]


def attribute_item(attribute: Attribute, order: int, said: Translator,
                   communes: Sequence[str]) -> dict[str, object]:
    datatype, values = attribute.datatype, attribute.values
    item: dict[str, object] = {
        "variable": True, "code": attribute.code, "datatype": datatype,
        "required": attribute.required,
        "datatype_description": said.gettext(attribute.datatype_description)
        if attribute.datatype_description else "",
        "order": order, "description": said.gettext(attribute.description),
    }
    if attribute.code == "commune":
        if not communes:  # the province keeps no list: free text
            item["datatype"] = "string"
            return item
        item["values"] = [{"key": commune, "name": commune} for commune in communes]
    elif values is not None:
        item["values"] = _values(values, said)
    return item


async def service_definition(request: Request) -> Response:
    term = find(CATEGORIES, request.path_params["code"])
    if term is None:
        return error_response(request, 404, {"service_code": Problem(UNKNOWN_SERVICE)})
    said = words(request)
    communes = app_context(request).reference.places.communes
    return answer(request, "service_definition", {
        "service_code": term.code,
        "attributes": [attribute_item(attribute, order, said, communes)
                       for order, attribute in enumerate(ATTRIBUTE_TABLE, start=1)]})
