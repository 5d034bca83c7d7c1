"""Open311 services: the report categories, and the attributes a report of each takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from intake.api.answers import answer, error_response, words
from intake.api.refusals import wrong_key
from intake.api.requests import UNKNOWN_SERVICE
from intake.context import app_context
from workflows.cases.report_fields import FIELDS, YES_NO, Open311, ReportField
from workflows.i18n.messages import Problem
from workflows.i18n.translations import Translator
from workflows.reference.catalog import CATEGORIES, Term, find


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    description: str  # a gettext id; no colon (FixMyStreet cuts a description at its first)
    datatype_description: str = ""  # a gettext id: what a value may look like
    values: tuple[Term, ...] | None = None
    free_list: bool = False  # a list the province configures (communes): free text without


def _attribute(field: ReportField, open311: Open311) -> Attribute:
    values = field.terms or (YES_NO if field.kind == "flag" else None)
    return Attribute(open311.code, open311.datatype, field.required, open311.description,
                     open311.datatype_description, values, free_list=field.kind == "commune")


# The service definition's attributes: every report field Open311 carries as attribute[code],
# in the form's order, as its declaration says (workflows.cases.report_fields).
ATTRIBUTE_TABLE: tuple[Attribute, ...] = tuple(
    _attribute(field, field.open311) for field in FIELDS
    if field.open311 is not None and not field.open311.standard)


def _service(term: Term, said: Translator) -> dict[str, object]:
    return {"service_code": term.code, "service_name": said.gettext(term.label),
            "description": said.gettext(term.hint), "metadata": True, "type": "realtime",
            "keywords": "", "group": ""}


async def services(request: Request) -> Response:
    if refused := await wrong_key(request):
        return refused
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
    if attribute.free_list:
        if not communes:  # the province keeps no list: free text
            item["datatype"] = "string"
            return item
        item["values"] = [{"key": commune, "name": commune} for commune in communes]
    elif values is not None:
        item["values"] = _values(values, said)
    return item


async def service_definition(request: Request) -> Response:
    term = find(CATEGORIES, request.path_params["code"])
    if refused := await wrong_key(request):
        return refused
    if term is None:
        return error_response(request, 404, {"service_code": Problem(UNKNOWN_SERVICE)})
    said = words(request)
    communes = app_context(request).reference.places.communes
    return answer(request, "service_definition", {
        "service_code": term.code,
        "attributes": [attribute_item(attribute, order, said, communes)
                       for order, attribute in enumerate(ATTRIBUTE_TABLE, start=1)]})
