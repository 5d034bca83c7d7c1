"""The OpenAPI 3 description of the Open311 GeoReport v2 API, built from the same tables the
handlers use (service codes, attributes, standard fields, formats), so it cannot drift from
them. Each path is described once with its `{format}` (json or xml)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.api.fields import (
    ATTRIBUTES,
    CONTACT_FIELDS,
    IGNORED_FIELDS,
    MEDIA_FIELD,
    STANDARD_FIELDS,
)
from intake.api.formats import FORMATS, MEDIA_TYPES
from intake.api.refusals import wrong_key
from intake.context import app_context
from workflows.cases.tracking import CODE_LENGTH, CROCKFORD_ALPHABET, PIN_LENGTH
from workflows.reference.catalog import (
    CATEGORIES,
    LABEL_ORIGINS,
    PRODUCT_GROUPS,
    SALES_CHANNELS,
    codes,
)

TEXT = {"type": "string", "nullable": True}
NUMBER = {"type": "number", "nullable": True}
LISTS = {"product_group": PRODUCT_GROUPS, "label_origin": LABEL_ORIGINS, "channel": SALES_CHANNELS}
WITHHELD = ("The reporter's description, the shop, the street and anything about the reporter "
            "are never published: `description` and `media_url` are always empty, `address` is "
            "the commune or ward, `lat`/`long` are rounded to about a kilometre.")


def _objects(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "object", "required": required,
                                       "properties": properties}}


def _answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """JSON is described by its schema; the XML answer has the same elements (the spec's)."""
    return {"description": description, "content": {
        MEDIA_TYPES["json"].split(";")[0]: {"schema": schema},
        MEDIA_TYPES["xml"].split(";")[0]: {"schema": {"type": "string"}}}}


def _error(description: str) -> dict[str, Any]:
    return _answer(description, {"$ref": "#/components/schemas/Errors"})


def _parameter(name: str, where: str = "query", required: bool = False,
               schema: dict[str, Any] | None = None, description: str = "") -> dict[str, Any]:
    return {"name": name, "in": where, "required": required,
            "schema": schema or {"type": "string"}, "description": description}


FORMAT = _parameter("format", "path", True, {"type": "string", "enum": list(FORMATS)})
API_KEY = _parameter("api_key", description="A registered client's key (a wrong one: 403).")
WINDOW = [_parameter("start_date", description="W3C datetime; default 90 days before end_date."),
          _parameter("end_date", description="W3C datetime; default now.")]
IDS = _parameter("service_request_id", description="Comma-separated ids; overrides the rest.")
NOT_A_FORM = _error("The body is not a form (urlencoded, or multipart with files)")
LOOKUP_REFUSALS = {"400": _error("A filter is wrong; each is named"),
                   "403": _error("Unknown or revoked api_key"),
                   "429": _error("Too many look-ups from this address or client")}


def _request_body(max_description_chars: int) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "service_code": {"type": "string", "enum": sorted(codes(CATEGORIES))},
        "description": {"type": "string", "maxLength": max_description_chars},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "email": {"type": "string", "format": "email"},
        "address_string": {"type": "string"},
    }
    properties.update({name: {"type": "string"} for name in CONTACT_FIELDS if name not in properties})
    for name in ATTRIBUTES:
        properties[f"attribute[{name}]"] = (
            {"type": "string", "enum": sorted(codes(LISTS[name]))} if name in LISTS
            else {"type": "string"})
    properties.update({name: {"type": "string"} for name in sorted(IGNORED_FIELDS)
                       if name not in properties})
    assert set(STANDARD_FIELDS) <= set(properties)
    required = ["service_code", "attribute[product_name]", "attribute[product_group]",
                "attribute[channel]"]
    form = {"type": "object", "properties": properties, "required": required,
            "description": "Other attribute[...] fields are kept for staff, never refused. "
                           "A location is required: lat and long, address_string, or "
                           "address_id (the official code of the commune or ward); a position "
                           "outside the province is refused. description is optional. Contact "
                           "details (first_name, last_name, email, phone) are stored only with "
                           "attribute[consent]=true or an api_key of a client registered as "
                           "asking its users for consent (--collects-consent); otherwise the "
                           "report is filed without them and service_notice says so."}
    multipart = {**form, "properties": {**properties, MEDIA_FIELD: {
        "type": "array", "items": {"type": "string", "format": "binary"}}}}
    return {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": form},
        "multipart/form-data": {"schema": multipart}}}


def _schemas() -> dict[str, Any]:
    errors = _objects({"code": {"type": "integer"}, "description": {"type": "string"}},
                      ["code", "description"])
    errors["items"]["additionalProperties"] = False
    service = {"service_code": {"type": "string"}, "service_name": {"type": "string"},
               "description": {"type": "string"}, "metadata": {"type": "boolean"},
               "type": {"type": "string"}, "keywords": {"type": "string"},
               "group": {"type": "string"}}
    created = {"service_request_id": {"type": "string",
                                      "pattern": f"^[{CROCKFORD_ALPHABET}]{{{CODE_LENGTH}}}$"},
               "service_notice": {"type": "string"}, "account_id": TEXT,
               "pin": {"type": "string", "nullable": True,
                       "pattern": f"^[0-9]{{{PIN_LENGTH}}}$"}}
    request = {name: TEXT for name in (
        "status_notes", "service_name", "service_code", "description", "agency_responsible",
        "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
        "address", "address_id", "zipcode", "media_url")}
    request.update(service_request_id={"type": "string"}, lat=NUMBER, long=NUMBER,
                   status={"type": "string", "enum": ["open", "closed"]})
    update = {name: TEXT for name in ("status", "external_status_code", "updated_datetime",
                                      "description", "media_url")}
    update.update(update_id={"type": "string"}, service_request_id={"type": "string"})
    return {"Errors": errors, "Services": _objects(service, ["service_code", "service_name"]),
            "Created": _objects(created, ["service_request_id"]),
            "Requests": _objects(request, ["service_request_id", "status"]),
            "Updates": _objects(update, ["update_id", "service_request_id", "status"]),
            "Posted": _objects({"update_id": {"type": "string"}}, ["update_id"])}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _paths(max_description_chars: int) -> dict[str, Any]:
    code = _parameter("code", "path", True)
    return {
        "/discovery.{format}": {"get": {
            "operationId": "discovery", "parameters": [FORMAT], "summary": "Where and how",
            "responses": {"200": _answer("Discovery", {"type": "object"})}}},
        "/services.{format}": {"get": {
            "operationId": "services", "parameters": [FORMAT],
            "summary": "The kinds of report (service codes)",
            "responses": {"200": _answer("Services", _ref("Services"))}}},
        "/services/{code}.{format}": {"get": {
            "operationId": "serviceDefinition", "parameters": [code, FORMAT],
            "summary": "The attributes a report of this kind takes",
            "responses": {"200": _answer("Definition", {"type": "object"}),
                          "404": _error("Unknown service code")}}},
        "/requests.{format}": {
            "post": {"operationId": "createRequest", "parameters": [FORMAT],
                     "summary": "File a report (Idempotency-Key: a retry gets the first answer)",
                     "requestBody": _request_body(max_description_chars),
                     "responses": {"201": _answer("Filed: keep the code and the PIN",
                                                  _ref("Created")),
                                   "400": _error("A field is missing or wrong; each is named"),
                                   "403": _error("Unknown or revoked api_key"),
                                   "404": _error("Unknown service code"),
                                   "413": _error("The request body is too large"),
                                   "415": NOT_A_FORM,
                                   "422": _error("The Idempotency-Key was used for another "
                                                 "request"),
                                   "429": _error("Too many reports from this address or client"),
                                   "503": _error("Not saved; nothing was stored")}},
            "get": {"operationId": "listRequests", "summary": "Reports received, newest first, "
                    "at most 1,000. " + WITHHELD,
                    "parameters": [FORMAT, IDS, _parameter("service_code"), *WINDOW,
                                   _parameter("status", schema={"type": "string"}), API_KEY],
                    "responses": {"200": _answer("Requests", _ref("Requests")),
                                  "404": _error("Unknown service code"), **LOOKUP_REFUSALS}}},
        "/requests/{code}.{format}": {"get": {
            "operationId": "getRequest", "parameters": [code, FORMAT, API_KEY],
            "summary": "The public status of a report. " + WITHHELD,
            "responses": {"200": _answer("Status", _ref("Requests")),
                          "404": _error("No report has this code"), **LOOKUP_REFUSALS}}},
        "/tokens/{token}.{format}": {"get": {
            "operationId": "getToken", "parameters": [_parameter("token", "path", True), FORMAT,
                                                      API_KEY],
            "summary": "A token is the request's id: a report has its id as soon as it is filed",
            "responses": {"200": _answer("Token", {"type": "array"}),
                          "404": _error("No report has this code"), **LOOKUP_REFUSALS}}},
        "/servicerequestupdates.{format}": _updates_path(),
    }

def _updates_path() -> dict[str, Any]:
    """The public updates feed (GET), and a citizen's update posted by the client that filed
    the report (POST)."""
    return {
        "get": {
            "operationId": "serviceRequestUpdates",
            "parameters": [FORMAT, IDS, *WINDOW, API_KEY],
            "summary": "Public updates in a window, oldest first, at most 1,000 "
                       "(FixMyStreet's form: status in its words, Intake's own in "
                       "external_status_code)",
            "responses": {"200": _answer("Updates", _ref("Updates")), **LOOKUP_REFUSALS}},
        "post": {
            "operationId": "postServiceRequestUpdate", "parameters": [FORMAT],
            "summary": "A citizen's update to a report, by the client that filed it "
                       "(FixMyStreet's post_service_request_update): the reporter's "
                       "follow-up when its email is the reporter's, else a comment for "
                       "staff; the same update_id again gets the same answer",
            "requestBody": _update_body(),
            "responses": {"200": _answer("Posted: Intake's id for the update",
                                         _ref("Posted")),
                          "400": _error("A field is missing or wrong; each is named"),
                          "403": _error("No api_key, or an unknown or revoked one"),
                          "404": _error("No report with this id was filed with this key"),
                          "413": _error("The request body is too large"),
                          "415": NOT_A_FORM,
                          "422": _error("The update_id was used for another update"),
                          "429": _error("Too many from this client"),
                          "503": _error("Not saved; nothing was stored")}},
    }


def _update_body() -> dict[str, Any]:
    text = {"type": "string"}
    form = {"type": "object", "required": ["service_request_id", "api_key"],
            "properties": {name: text for name in (
                "service_request_id", "update_id", "update_id_ext", "updated_datetime",
                "status", "description", "media_url", "api_key", "jurisdiction_id",
                "first_name", "last_name", "email", "title", "email_alerts_requested",
                "public_anonymity_required", "service_request_id_ext")},
            "description": "update_id (or update_id_ext): the client's own id, 1 to 64 visible "
                           "ASCII characters. description or media_url. The person's fields "
                           "are not kept; the photo is kept as its link."}
    return {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": form},
                                          "multipart/form-data": {"schema": form}}}


def document(base_url: str, max_description_chars: int) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Intake Open311 GeoReport v2", "version": "2",
                 "description": "Reports of counterfeit, smuggled and substandard goods, in JSON "
                                "and XML. Answers in Vietnamese, or in English when Accept-Language "
                                "prefers it. "
                                + WITHHELD},
        "servers": [{"url": f"{base_url}/open311/v2"}],
        "paths": _paths(max_description_chars),
        "components": {"schemas": _schemas()},
    }


async def openapi(request: Request) -> Response:
    if refused := await wrong_key(request):
        return refused
    settings = app_context(request).settings
    return JSONResponse(document(settings.base_url, settings.max_description_chars))
