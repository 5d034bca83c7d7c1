"""Open311 answers in the format the URL names: `.json`, or `.xml` with the spec's element
names (`<services><service>…`, `<service_requests><request>…`, `<errors><error>…`). The XML is
built as an ElementTree, never by joining strings, and holds only characters XML 1.0 allows."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.responses import Response

FORMATS = ("json", "xml")
MEDIA_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# A list's element -> the element of each of its items.
ITEMS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "service_request_updates": "request_update",
    "endpoints": "endpoint",
    "formats": "format",
}
# What XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/U+FFFF): shown as U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class FormatConvertor(Convertor[str]):
    regex = "json|xml"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("format", FormatConvertor())


def format_of_path(path: str) -> str:
    """The format a URL asks for, for answers given before its route is known (404, 413)."""
    return "xml" if path.endswith(".xml") else "json"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _fill(ElementTree.SubElement(element, name), item)
    elif isinstance(value, list | tuple):
        for item in value:
            _fill(ElementTree.SubElement(element, ITEMS[element.tag]), item)
    else:
        element.text = _text(value)


def to_xml(root: str, payload: Any) -> bytes:
    document = ElementTree.Element(root)
    _fill(document, payload)
    return bytes(ElementTree.tostring(document, encoding="utf-8", xml_declaration=True))


def to_json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def open311_response(fmt: str, root: str, payload: Any, status_code: int = 200,
                     headers: dict[str, str] | None = None) -> Response:
    """`payload` is what the JSON answer is (a list of items, or an object); the XML answer
    wraps it in `root`, each list item in its element (ITEMS)."""
    body = to_xml(root, payload) if fmt == "xml" else to_json(payload)
    return Response(body, status_code=status_code, headers=headers, media_type=MEDIA_TYPES[fmt])
