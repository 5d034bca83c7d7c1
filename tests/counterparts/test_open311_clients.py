"""Intake driven by Open311 client libraries this project did not write, from PyPI, against a
live `intake serve`: georeport (JSON and XML, parsed with xmltodict: services, a definition,
requests with the spec's filters, one request) and civicbot (JSON: it checks a report against
the service definition it fetched, posts it with an api_key, reads it back, lists it, asks for
its token). Neither library knows `servicerequestupdates`: tests/counterparts/test_fixmystreet.py
polls it the way FixMyStreet does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client, ValidationError
from civicbot.registry import Endpoint
from georeport import GeoReport
from requests import HTTPError

from intake.settings import Settings
from tests.counterparts.test_fixmystreet import register
from tests.live import free_port, start_server

REPORT = {
    "product_name": "Rượu vang Chile không tem", "product_group": "food", "channel": "online",
    "url": "https://shop.example.vn/ruou-vang", "platform": "Shopee",
}


@pytest.fixture
def live(settings: Settings) -> Iterator[str]:
    port = free_port()
    server = start_server(settings, port)
    yield f"http://127.0.0.1:{port}/open311/v2"
    server.terminate()
    server.wait(timeout=30)


def civicbot(endpoint: str, keyed: bool = True) -> Open311Client:
    """A citizens' app without a key files too (under the per-address limit)."""
    return Open311Client(Endpoint(id="intake", name="Intake", base_url=endpoint + "/", write=True,
                                  api_key_required_for_write=keyed),
                         transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)),
                         jurisdiction_id="khanhhoa.gov.vn")


async def test_civicbot_checks_posts_and_reads_a_report(app, live: str, settings: Settings):
    client = civicbot(live)
    services = {service["service_code"]: service for service in client.list_services()}
    assert services["smuggled"]["metadata"] is True
    with pytest.raises(ValidationError) as missing:  # it reads our required attributes
        client.create_request("smuggled", dry_run=False, confirm="SEND", api_key="x",
                              validate_remote=True, lat=12.24, lng=109.19,
                              attributes={"product_name": "Rượu"})
    assert any("product_group" in problem for problem in missing.value.problems)

    key = register(settings)
    sent = client.create_request(
        "smuggled", dry_run=False, confirm="SEND", api_key=key, validate_remote=True,
        lat=12.2451, lng=109.1943, description="Rượu vang nhập lậu bán trên mạng, không có tem.",
        email="khach@example.org", first_name="Võ", last_name="Lan", attributes=REPORT)
    [created] = sent.response
    code = created["service_request_id"]
    assert len(code) == 10 and len(created["pin"]) == 8

    one = client.get_request(code)
    assert (one["service_request_id"], one["status"], one["service_code"]) == (
        code, "open", "smuggled")
    assert (one["lat"], one["long"]) == (12.25, 109.19)
    assert one["description"] is None
    listed = client.list_requests(service_request_ids=[code], status="open")
    assert [request["service_request_id"] for request in listed] == [code]
    [token] = client.get_token(code)
    assert token["service_request_id"] == code
    with pytest.raises(HttpError) as unknown:
        client.get_request("ZZZZZZZZZZ")
    assert unknown.value.status == 404


@pytest.mark.parametrize("output_format", ["json", "xml"])
async def test_georeport_lists_describes_and_filters(app, live: str, output_format: str):
    poster = civicbot(live, keyed=False)
    codes = []
    for service_code in ("smuggled", "counterfeit"):
        sent = poster.create_request(
            service_code, dry_run=False, confirm="SEND", api_key=None, lat=12.24, lng=109.19,
            description="Hàng bán ở chợ đêm không rõ nguồn gốc xuất xứ.", attributes=REPORT)
        codes.append(sent.response[0]["service_request_id"])

    client = GeoReport(live, jurisdiction="khanhhoa.gov.vn", output_format=output_format)
    services = client.get_service_list()
    assert [service["service_code"] for service in services][:2] == ["counterfeit", "imitation"]
    definition = client.get_service_definition("counterfeit")
    attributes = definition["attributes"]
    if output_format == "xml":  # xmltodict: one element per list item, values as text
        attributes = attributes["attribute"]
    required = {a["code"] for a in attributes if a["required"] in (True, "true")}
    assert required == {"product_name", "product_group", "channel"}

    def ids(found: object) -> list[str]:
        if output_format == "xml" and isinstance(found, dict):  # xmltodict: one item, no list
            found = [found]
        assert isinstance(found, list)
        return [request["service_request_id"] for request in found]

    now = dt.datetime.now(dt.UTC)
    window = {"start_date": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "end_date": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert ids(client.get_service_requests(**window)) == codes[::-1]
    assert ids(client.get_service_requests(service_code="smuggled", status="open")) == codes[:1]
    assert ids(client.get_service_requests(service_request_id=",".join(codes))) == codes[::-1]
    if output_format == "json":  # georeport reads an empty XML list as None, then fails on it
        assert ids(client.get_service_requests(status="closed")) == []
    one = client.get_service_request(codes[1])
    assert one["service_request_id"] == codes[1] and one["status"] == "open"
    assert one["agency_responsible"] == "Chi cục Quản lý thị trường"  # no Accept-Language
    with pytest.raises(HTTPError):
        client.get_service_requests(start_date="not a date")
