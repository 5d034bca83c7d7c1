"""The OpenAPI 3 description of the Open311 GeoReport v2 API, built from the same tables the
handlers use (service codes, attributes, standard fields), so it cannot drift from them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.api.fields import ATTRIBUTES, IGNORED_FIELDS, MEDIA_FIELD, STANDARD_FIELDS
from intake.context import app_context
from workflows.cases.tracking import CODE_LENGTH, CROCKFORD_ALPHABET, PIN_LENGTH
from workflows.reference.catalog import (
    CATEGORIES,
    LABEL_ORIGINS,
    PRODUCT_GROUPS,
    SALES_CHANNELS,
    codes,
)

NULLABLE_TEXT = {"type": "string", "nullable": True}
ERRORS = {"type": "array", "items": {
    "type": "object", "required": ["code", "description"], "additionalProperties": False,
    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}
LISTS = {"product_group": PRODUCT_GROUPS, "label_origin": LABEL_ORIGINS, "channel": SALES_CHANNELS}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _request_body(max_description_chars: int) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "service_code": {"type": "string", "enum": sorted(codes(CATEGORIES))},
        "description": {"type": "string", "maxLength": max_description_chars},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "email": {"type": "string", "format": "email"},
        "phone": {"type": "string"},
        "first_name": {"type": "string"}, "last_name": {"type": "string"},
        "address_string": {"type": "string"},
    }
    for name in ATTRIBUTES:
        properties[f"attribute[{name}]"] = (
            {"type": "string", "enum": sorted(codes(LISTS[name]))} if name in LISTS
            else {"type": "string"})
    properties.update({name: {"type": "string"} for name in sorted(IGNORED_FIELDS)
                       if name not in properties})
    required = ["service_code", "description", "attribute[product_name]",
                "attribute[product_group]", "attribute[channel]"]
    assert set(STANDARD_FIELDS) <= set(properties)
    form = {"type": "object", "properties": properties, "required": required}
    multipart = {**form, "properties": {**properties, MEDIA_FIELD: {
        "type": "array", "items": {"type": "string", "format": "binary"}}}}
    return {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": form},
        "multipart/form-data": {"schema": multipart}}}


def document(base_url: str, max_description_chars: int) -> dict[str, Any]:
    service = {"type": "object", "required": ["service_code", "service_name"], "properties": {
        "service_code": {"type": "string"}, "service_name": {"type": "string"},
        "description": {"type": "string"}, "metadata": {"type": "boolean"},
        "type": {"type": "string"}, "keywords": {"type": "string"},
        "group": {"type": "string"}}}
    created = {"type": "array", "items": {
        "type": "object", "required": ["service_request_id", "pin"], "properties": {
            "service_request_id": {"type": "string",
                                   "pattern": f"^[{CROCKFORD_ALPHABET}]{{{CODE_LENGTH}}}$"},
            "service_notice": {"type": "string"}, "account_id": NULLABLE_TEXT,
            "pin": {"type": "string", "pattern": f"^[0-9]{{{PIN_LENGTH}}}$"}}}}
    request_status = {"type": "array", "items": {
        "type": "object", "required": ["service_request_id", "status"], "properties": {
            "service_request_id": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": NULLABLE_TEXT, "service_name": {"type": "string"},
            "service_code": {"type": "string"}, "agency_responsible": NULLABLE_TEXT,
            "requested_datetime": NULLABLE_TEXT, "updated_datetime": NULLABLE_TEXT,
            "expected_datetime": NULLABLE_TEXT}}}
    code_parameter = {"name": "code", "in": "path", "required": True,
                      "schema": {"type": "string"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Intake Open311 GeoReport v2", "version": "2",
                 "description": "Reports of counterfeit, smuggled and substandard goods. "
                                "Answers in Vietnamese with Accept-Language: vi."},
        "servers": [{"url": f"{base_url}/open311/v2"}],
        "paths": {
            "/services.json": {"get": {
                "operationId": "services", "summary": "The kinds of report (service codes)",
                "responses": {"200": _json("Services", {"type": "array", "items": service})}}},
            "/services/{code}.json": {"get": {
                "operationId": "serviceDefinition", "parameters": [code_parameter],
                "summary": "The attributes a report of this kind takes",
                "responses": {"200": _json("Definition", {"type": "object"}),
                              "404": _error("Unknown service code")}}},
            "/requests.json": {"post": {
                "operationId": "createRequest", "summary": "File a report",
                "requestBody": _request_body(max_description_chars),
                "responses": {"201": _json("Filed: keep the code and the PIN", created),
                              "400": _error("A field is missing or wrong; each is named"),
                              "413": {"description": "The request body is too large"},
                              "429": _error("Too many reports from this address this hour"),
                              "503": _error("Not saved; nothing was stored")}}},
            "/requests/{code}.json": {"get": {
                "operationId": "getRequest", "parameters": [code_parameter],
                "summary": "The public status of a report",
                "responses": {"200": _json("Status", request_status),
                              "404": _error("No report has this code"),
                              "429": _error("Too many look-ups from this address")}}},
        },
        "components": {"schemas": {"Errors": ERRORS}},
    }


async def openapi(request: Request) -> Response:
    settings = app_context(request).settings
    return JSONResponse(document(settings.base_url, settings.max_description_chars))
