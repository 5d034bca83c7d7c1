"""Open311 services: the report categories, and the attributes a report of each takes."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.api.answers import error_response, words
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


def _service(term: Term, said: Translator) -> dict[str, Any]:
    return {"service_code": term.code, "service_name": said.gettext(term.label),
            "description": said.gettext(term.hint), "metadata": True, "type": "realtime",
            "keywords": "", "group": ""}


async def services(request: Request) -> Response:
    said = words(request)
    return JSONResponse([_service(term, said) for term in CATEGORIES])


def _values(terms: tuple[Term, ...], said: Translator) -> list[dict[str, str]]:
    return [{"key": term.code, "name": said.gettext(term.label)} for term in terms]


def _attribute(code: str, datatype: str, required: bool, description: str, order: int,
               values: list[dict[str, str]] | None = None) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "variable": True, "code": code, "datatype": datatype, "required": required,
        "datatype_description": "", "order": order, "description": description,
    }
    if values is not None:
        attribute["values"] = values
    return attribute


async def service_definition(request: Request) -> Response:
    term = find(CATEGORIES, request.path_params["code"])
    if term is None:
        return error_response(request, 404, {"service_code": Problem(N_("Unknown service code."))})
    said = words(request)
    communes = app_context(request).reference.places.communes
    attributes = [
        _attribute("product_name", "string", True, "Product name", 1),
        _attribute("brand", "string", False, "Brand on the label", 2),
        _attribute("product_group", "singlevaluelist", True, "Product group", 3,
                   _values(PRODUCT_GROUPS, said)),
        _attribute("barcode", "string", False, "Barcode (EAN-13, EAN-8, UPC-A) or stamp code", 4),
        _attribute("label_origin", "singlevaluelist", False, "Origin printed on the label", 5,
                   _values(LABEL_ORIGINS, said)),
        _attribute("quantity", "number", False, "Quantity bought", 6),
        _attribute("price_vnd", "number", False, "Price paid, in VND", 7),
        _attribute("purchase_date", "datetime", False, "Purchase date, YYYY-MM-DD", 8),
        _attribute("channel", "singlevaluelist", True, "Where it was sold", 9,
                   _values(SALES_CHANNELS, said)),
        _attribute("shop_name", "string", False, "Shop or seller name", 10),
        _attribute("commune", "singlevaluelist" if communes else "string", False,
                   "Commune or ward of the shop", 11,
                   [{"key": c, "name": c} for c in communes] if communes else None),
        _attribute("street", "string", False, "Street address of the shop", 12),
        _attribute("url", "string", False, "Web page of an online shop", 13),
        _attribute("platform", "string", False, "Online platform (e.g. Shopee, Facebook)", 14),
        _attribute("consent", "singlevaluelist", False,
                   "true: the reporter agrees that the agencies use their contact details", 15,
                   [{"key": "true", "name": "Yes"}, {"key": "false", "name": "No"}]),
    ]
    return JSONResponse({"service_code": term.code, "attributes": attributes})
