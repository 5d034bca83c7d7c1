"""Every Open311 document in both formats, with the spec's element names: what an XML client
parses must say what the JSON says. Parsed with the standard library's XML parser, which shares
nothing with the ElementTree building on the server side but the specification."""

from __future__ import annotations

import json
import xml.dom.minidom
from urllib.parse import urlencode

import pytest

from tests.helpers import ENGLISH
from tests.intake.api.test_open311 import API_REPORT
from workflows.cases.models import Case


def children(element: xml.dom.minidom.Element, name: str) -> list[xml.dom.minidom.Element]:
    return [node for node in element.childNodes
            if node.nodeType == node.ELEMENT_NODE and node.tagName == name]


def text(element: xml.dom.minidom.Element, name: str) -> str:
    [found] = children(element, name)
    return "".join(node.data for node in found.childNodes if node.nodeType == node.TEXT_NODE)


def parse(response) -> xml.dom.minidom.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return xml.dom.minidom.parseString(response.content).documentElement


async def test_services_and_their_definitions_in_xml_say_what_the_json_says(client):
    as_json = (await client.get("/open311/v2/services.json")).json()
    root = parse(await client.get("/open311/v2/services.xml"))
    assert root.tagName == "services"
    services = children(root, "service")
    assert [text(s, "service_code") for s in services] == [s["service_code"] for s in as_json]
    assert [text(s, "service_name") for s in services] == [s["service_name"] for s in as_json]
    assert {text(s, "metadata") for s in services} == {"true"}

    definition = (await client.get("/open311/v2/services/counterfeit.json")).json()
    root = parse(await client.get("/open311/v2/services/counterfeit.xml",
                                  headers={"accept-language": "vi"}))
    assert root.tagName == "service_definition" and text(root, "service_code") == "counterfeit"
    [attributes] = children(root, "attributes")
    listed = children(attributes, "attribute")
    assert [text(a, "code") for a in listed] == [a["code"] for a in definition["attributes"]]
    assert [int(text(a, "order")) for a in listed] == list(range(1, len(listed) + 1))
    group = next(a for a in listed if text(a, "code") == "product_group")
    assert text(group, "datatype") == "singlevaluelist" and text(group, "required") == "true"
    [values] = children(group, "values")
    assert {"key": "food", "name": "Thực phẩm, đồ uống"} in [
        {"key": text(v, "key"), "name": text(v, "name")} for v in children(values, "value")]
    date = next(a for a in definition["attributes"] if a["code"] == "purchase_date")
    assert date["datatype"] == "datetime" and "ISO 8601" in date["datatype_description"]
    # FixMyStreet cuts a description at its first colon: none has one.
    assert not any(":" in a["description"] for a in definition["attributes"])


async def test_a_report_filed_and_read_in_xml(client):
    response = await client.post("/open311/v2/requests.xml", data=API_REPORT)
    assert response.status_code == 201
    [request] = children(parse(response), "request")
    code = text(request, "service_request_id")
    assert len(code) == 10 and len(text(request, "pin")) == 8

    [found] = children(parse(await client.get(f"/open311/v2/requests/{code}.xml")), "request")
    assert text(found, "service_request_id") == code and text(found, "status") == "open"
    assert text(found, "description") == "" and text(found, "media_url") == ""
    assert text(found, "lat") == "12.24" and text(found, "long") == "109.2"  # about 1 km


async def test_errors_in_xml_use_the_spec_s_elements(client):
    bad = await client.post("/open311/v2/requests.xml", headers=ENGLISH,
                            data={**API_REPORT, "attribute[price_vnd]": "-1", "lat": "95"})
    assert bad.status_code == 400
    root = parse(bad)
    assert root.tagName == "errors"
    assert sorted(text(e, "description") for e in children(root, "error")) == [
        "attribute[price_vnd]: The price cannot be negative.",
        "lat: Must be between -90 and 90 degrees."]
    assert {text(e, "code") for e in children(root, "error")} == {"400"}
    for path in ("/open311/v2/requests/ZZZZZZZZZZ.xml", "/open311/v2/services/nothing.xml",
                 "/open311/v2/no-such-thing.xml"):
        missing = await client.get(path)
        assert missing.status_code == 404
        [error] = children(parse(missing), "error")
        assert text(error, "code") == "404"


async def test_a_wrong_method_is_a_405_naming_the_allowed_ones_in_the_asked_format(client):
    for fmt in ("json", "xml"):
        refused = await client.delete(f"/open311/v2/requests.{fmt}")
        assert refused.status_code == 405
        assert set(refused.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
        assert refused.headers["content-type"].split(";")[0] == {
            "json": "application/json", "xml": "text/xml"}[fmt]
    wrong = await client.post("/open311/v2/services.json")
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "HEAD"}
    # Said in the client's language, as every other error (Vietnamese unless asked otherwise).
    [said] = (await client.put("/open311/v2/requests.json")).json()
    assert said["description"].startswith("Địa chỉ này không nhận PUT: hãy dùng ")
    [said] = (await client.put("/open311/v2/requests.json", headers=ENGLISH)).json()
    assert said["description"].startswith("This address does not take PUT: use ")
    for path in ("/open311/v2/requests.JSON", "/open311/v2/requests/.json",
                 "/open311/v2/requests.html"):
        missing = await client.get(path)
        assert missing.status_code == 404
        [said] = missing.json()
        assert "/open311/discovery.json" in said["description"]
        assert said["description"].startswith("Không có gì ở địa chỉ này")


async def test_a_body_that_is_no_form_is_a_415_saying_what_to_send(client):
    """A JSON body would otherwise read as an empty form, answered "service_code is missing"."""
    for path in ("/open311/v2/requests.json", "/open311/v2/servicerequestupdates.json"):
        for body, media_type in ((json.dumps(API_REPORT), "application/json"),
                                 ("service_code=counterfeit", "text/plain; charset=utf-8")):
            refused = await client.post(path, content=body, headers={
                **ENGLISH, "content-type": media_type})
            assert refused.status_code == 415
            assert "application/x-www-form-urlencoded" in refused.headers["accept-post"]
            [error] = refused.json()
            assert error["code"] == 415
            assert "multipart/form-data" in error["description"]
    unsaid = await client.post("/open311/v2/requests.json", content=urlencode(API_REPORT),
                               headers={"content-type": ""})  # a body, and no word of its type
    assert unsaid.status_code == 415
    in_xml = await client.post("/open311/v2/requests.xml", content=json.dumps(API_REPORT),
                               headers={"content-type": "application/json"})
    assert in_xml.status_code == 415
    assert "biểu mẫu" in text(children(parse(in_xml), "error")[0], "description")
    assert await Case.all().count() == 0
    # A form's type, however it is written, is read as a form.
    filed = await client.post("/open311/v2/requests.json", content=urlencode(API_REPORT),
                              headers={"content-type": "Application/X-WWW-Form-URLEncoded; "
                                                       "charset=UTF-8"})
    assert filed.status_code == 201
    assert await Case.all().count() == 1


async def test_a_client_that_sends_letters_unescaped_files_them_as_typed(client):
    """curl --data 'attribute[product_name]=Nước mắm' sends the UTF-8 bytes as they are."""
    body = "&".join(f"{name}={value}".replace(" ", "+") for name, value in API_REPORT.items())
    filed = await client.post("/open311/v2/requests.json", content=body.encode(), headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert filed.status_code == 201, filed.text
    case = await Case.get()
    assert (case.shop_name, case.description) == (
        API_REPORT["attribute[shop_name]"], API_REPORT["description"])


async def test_discovery_names_the_endpoint_and_its_formats(client, settings):
    for path in ("/open311/discovery.json", "/open311/v2/discovery.json"):
        found = (await client.get(path)).json()
        [endpoint] = found["endpoints"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == f"{settings.base_url}/open311/v2"
        assert endpoint["type"] == "production"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert found["changeset"] and found["contact"] and found["key_service"]
    root = parse(await client.get("/open311/discovery.xml"))
    [endpoints] = children(root, "endpoints")
    [endpoint] = children(endpoints, "endpoint")
    [formats] = children(endpoint, "formats")
    assert [f.firstChild.data for f in children(formats, "format")] == ["text/xml",
                                                                       "application/json"]


async def test_every_answer_says_utf_8_and_may_be_read_by_any_web_page(client):
    for path in ("/open311/v2/services.json", "/open311/v2/services.xml",
                 "/open311/v2/requests.json", "/open311/v2/servicerequestupdates.xml"):
        response = await client.get(path, headers={"origin": "https://app.example.org"})
        assert response.status_code == 200, path
        assert response.headers["content-type"].endswith("; charset=utf-8")
        assert response.headers["access-control-allow-origin"] == "*"
    # A web app's preflight, as a browser sends it, for each header the README offers it.
    for path in ("/open311/v2/requests.json", "/open311/v2/servicerequestupdates.xml"):
        for headers in ("idempotency-key", "x-api-key", "content-type,idempotency-key,x-api-key"):
            preflight = await client.options(path, headers={
                "origin": "https://app.example.org", "access-control-request-method": "POST",
                "access-control-request-headers": headers})
            assert preflight.status_code == 200, (path, headers, preflight.text)
            allowed = preflight.headers["access-control-allow-headers"].lower()
            assert all(header in allowed for header in headers.split(","))


@pytest.mark.parametrize("hostile", ["\x0b", "\ufffe", "\x1f", "]]>", "<b>&amp;</b>"])
async def test_text_xml_cannot_carry_still_gives_well_formed_xml(client, hostile):
    """A reply or a value with a character XML 1.0 forbids (or that looks like markup) must not
    break an XML client's parser."""
    filed = await client.post("/open311/v2/requests.json", data=API_REPORT)
    code = filed.json()[0]["service_request_id"]
    from workflows.cases.models import Case, CaseMessage

    case = await Case.get(tracking_code=code)
    await CaseMessage.create(case=case, author="agency", body=f"Trả lời {hostile} xong")
    [request] = children(parse(await client.get(f"/open311/v2/requests/{code}.xml")), "request")
    notes = text(request, "status_notes")
    assert notes.startswith("Trả lời ") and notes.endswith(" xong")
    assert hostile in notes or notes == "Trả lời \ufffd xong"


async def test_keys_stay_out_of_the_access_log_and_the_api_sets_no_cookie(client, caplog):
    import logging

    access = logging.getLogger("uvicorn.access")
    record = access.makeRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/open311/v2/servicerequestupdates.xml"
                                "?api_key=intake_SECRET123&start_date=2026", "1.1", 200), None)
    for known in access.filters:
        known.filter(record)
    assert "intake_SECRET123" not in record.getMessage()
    assert "api_key=[hidden]&start_date=2026" in record.getMessage()
    answer = await client.get("/open311/v2/services.json")
    assert "set-cookie" not in answer.headers
