"""Open311 GeoReport v2 (JSON), so hotline tools, mobile apps and the national portal can file
and follow reports. Service codes are the report categories; the counterfeit fields travel as
`attribute[...]`. Errors come as `[{"code": 400, "description": "<field>: <message>"}]`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.client import client_address, retry_after, too_many_lookups, too_many_reports
from intake.context import app_context
from intake.formdata import read_form, text_fields, uploaded_files
from intake.submission import StorageUnavailable
from workflows.access.limits import Allowance, RateLimited, spend
from workflows.audit.log import Actor
from workflows.cases.public_view import find_case, public_status
from workflows.cases.tracking import normalize_tracking_code
from workflows.cases.validation import validate_report
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Errors, Problem
from workflows.i18n.translations import Translator
from workflows.reference.catalog import (
    CATEGORIES,
    LABEL_ORIGINS,
    PRODUCT_GROUPS,
    SALES_CHANNELS,
    Term,
    find,
)

MEDIA_FIELD = "media"
# attribute[<name>] -> the report field it fills.
ATTRIBUTES: dict[str, str] = {
    "product_name": "product_name",
    "brand": "brand",
    "product_group": "product_group",
    "barcode": "barcode",
    "label_origin": "label_origin",
    "quantity": "quantity",
    "price_vnd": "price_vnd",
    "purchase_date": "purchase_date",
    "channel": "sales_channel",
    "shop_name": "shop_name",
    "commune": "commune",
    "street": "street",
    "url": "online_url",
    "platform": "platform",
    "consent": "consent",
}
# Standard GeoReport fields -> report fields.
STANDARD_FIELDS: dict[str, str] = {
    "service_code": "category",
    "description": "description",
    "lat": "latitude",
    "long": "longitude",
    "email": "reporter_email",
    "phone": "reporter_phone",
}
# Accepted by the standard and ignored here.
IGNORED_FIELDS = frozenset({"jurisdiction_id", "api_key", "device_id", "account_id",
                            "media_url", "address_id", "address_string"})
API_NAME = {field: f"attribute[{name}]" for name, field in ATTRIBUTES.items()} | {
    field: name for name, field in STANDARD_FIELDS.items()
} | {"reporter_name": "first_name", "photos": MEDIA_FIELD, "form": "request"}


def _language(request: Request) -> str:
    return "vi" if request.headers.get("accept-language", "").lower().startswith("vi") else "en"


def error_response(request: Request, status: int, errors: Errors) -> JSONResponse:
    words = _words(request)
    return JSONResponse(
        [{"code": status,
          "description": f"{API_NAME.get(field, field)}: "
                         f"{words.problem(problem)}"}
         for field, problem in errors.items()],
        status_code=status,
    )


def _words(request: Request) -> Translator:
    return app_context(request).reference.translator(_language(request))


def _service(term: Term, words: Translator) -> dict[str, Any]:
    return {
        "service_code": term.code,
        "service_name": words.gettext(term.label),
        "description": words.gettext(term.hint),
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


async def services(request: Request) -> Response:
    words = _words(request)
    return JSONResponse([_service(term, words) for term in CATEGORIES])


def _values(terms: tuple[Term, ...], words: Translator) -> list[dict[str, str]]:
    return [{"key": term.code, "name": words.gettext(term.label)} for term in terms]


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
    lang = _words(request)
    communes = app_context(request).reference.places.communes
    attributes = [
        _attribute("product_name", "string", True, "Product name", 1),
        _attribute("brand", "string", False, "Brand on the label", 2),
        _attribute("product_group", "singlevaluelist", True, "Product group", 3,
                   _values(PRODUCT_GROUPS, lang)),
        _attribute("barcode", "string", False, "Barcode (EAN-13, EAN-8, UPC-A) or stamp code", 4),
        _attribute("label_origin", "singlevaluelist", False, "Origin printed on the label", 5,
                   _values(LABEL_ORIGINS, lang)),
        _attribute("quantity", "number", False, "Quantity bought", 6),
        _attribute("price_vnd", "number", False, "Price paid, in VND", 7),
        _attribute("purchase_date", "datetime", False, "Purchase date, YYYY-MM-DD", 8),
        _attribute("channel", "singlevaluelist", True, "Where it was sold", 9,
                   _values(SALES_CHANNELS, lang)),
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


def _report_fields(fields: dict[str, str]) -> tuple[dict[str, str], Errors]:
    values: dict[str, str] = {}
    errors: Errors = {}
    for name, value in fields.items():
        if name.startswith("attribute[") and name.endswith("]"):
            attribute = name[len("attribute["):-1]
            if attribute not in ATTRIBUTES:
                errors[name] = Problem(N_("Unknown attribute. See the service definition."))
                continue
            values[ATTRIBUTES[attribute]] = value
        elif name in STANDARD_FIELDS:
            values[STANDARD_FIELDS[name]] = value
    if "street" not in values and fields.get("address_string"):
        values["street"] = fields["address_string"]
    name = " ".join(p for p in (fields.get("first_name", ""), fields.get("last_name", "")) if p)
    values["reporter_name"] = name
    if values.get("consent", "").lower() == "true":
        values["consent"] = "1"
    return values, errors


async def create_request(request: Request) -> Response:
    context = app_context(request)
    form = await read_form(request, context.settings)
    if isinstance(form, Problem):
        return error_response(request, 400, {"form": form})
    values, errors = _report_fields(text_fields(form))
    uploads = uploaded_files(form, MEDIA_FIELD)
    draft, field_errors = validate_report(
        values, context.reference.places, max_description_chars=context.settings.max_description_chars)
    if "category" in field_errors:
        field_errors["category"] = Problem(N_("Unknown service code."))
    errors.update(field_errors)
    checked, upload_problem = await context.submission.check_uploads(uploads)
    if upload_problem:
        errors[MEDIA_FIELD] = upload_problem
    if draft is None or errors:
        return error_response(request, 400, errors)
    draft = replace(draft, intake_channel="api", language=_language(request))
    try:
        await spend(Allowance("report", context.settings.report_rate_limit),
                    client_address(request))
    except RateLimited as limited:
        response = error_response(request, 429, {"form": too_many_reports(limited)})
        response.headers["Retry-After"] = retry_after(limited)
        return response
    try:
        filed = await context.submission.file(draft, checked, Actor("citizen", "open311"))
    except StorageUnavailable:
        return error_response(request, 503, {"form": Problem(
            N_("Your report could not be saved just now. Nothing was stored. "
               "Please try again in a few minutes."))})
    context.outbox_sender.wake()
    notice = _words(request)(
        N_("Received. Keep the code and the PIN to follow the report."))
    return JSONResponse(
        [{"service_request_id": filed.case.tracking_code, "service_notice": notice,
          "account_id": None, "pin": filed.pin}],
        status_code=201,
    )


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds") if moment else None


async def get_request(request: Request) -> Response:
    typed = request.path_params["code"]
    try:
        await spend(Allowance("track", app_context(request).settings.track_rate_limit),
                    client_address(request))
    except RateLimited as limited:
        response = error_response(request, 429, {"request": too_many_lookups(limited)})
        response.headers["Retry-After"] = retry_after(limited)
        return response
    case = await find_case(normalize_tracking_code(typed))
    if case is None:
        return error_response(request, 404, {"service_request_id": Problem(
            N_("No report has this code. Check the code on your receipt."))})
    status = await public_status(case)
    words = _words(request)
    agency = app_context(request).reference.agencies.get(status.agency_code or "")
    return JSONResponse([{
        "service_request_id": status.tracking_code,
        "status": "open" if status.is_open else "closed",
        "status_notes": status.outcome or (status.replies[-1].body if status.replies else None),
        "service_name": words.label(CATEGORIES, status.category),
        "service_code": status.category,
        "agency_responsible": words.gettext(agency.label) if agency else None,
        "requested_datetime": _iso(status.created_at),
        "updated_datetime": _iso(status.updated_at),
        "expected_datetime": _iso(status.due_at),
    }])
