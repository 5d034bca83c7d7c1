from __future__ import annotations

import re

import pytest

from tests.helpers import ENGLISH, PE_EXECUTABLE, jpeg_with_gps
from workflows.cases.models import Attachment, Case

API_REPORT = {
    "service_code": "smuggled",
    "description": "Thuốc lá ngoại không có tem nhập khẩu, bán công khai ở quầy tạp hóa.",
    "attribute[product_name]": "Thuốc lá Esse Change",
    "attribute[brand]": "Esse",
    "attribute[product_group]": "other",
    "attribute[channel]": "shop",
    "attribute[shop_name]": "Tạp hóa Minh Anh",
    "attribute[barcode]": "8801116005871",
    "attribute[price_vnd]": "25000",
    "attribute[purchase_date]": "2026-11-01",
    "lat": "12.2388",
    "long": "109.1967",
    "first_name": "Trần",
    "last_name": "Văn Bình",
    "phone": "0987654321",
    "attribute[consent]": "true",
}


async def test_services_list_every_category_in_vietnamese_or_english(client):
    response = await client.get("/open311/v2/services.json", headers={"accept-language": "vi"})
    services = {s["service_code"]: s for s in response.json()}
    assert set(services) == {"counterfeit", "imitation", "smuggled", "substandard", "food_safety",
                             "trade_fraud", "labelling", "consumer_dispute"}
    assert services["counterfeit"]["service_name"] == "Hàng giả"
    english = (await client.get("/open311/v2/services.json", headers=ENGLISH)).json()
    assert english[0]["service_name"] == "Counterfeit goods"


@pytest.mark.parametrize(("accept_language", "name"), [
    (None, "Hàng giả"),  # FixMyStreet's client, and most others, send none
    ("en", "Counterfeit goods"), ("en-US,en;q=0.9", "Counterfeit goods"),
    ("vi-VN,vi;q=0.9,en;q=0.8", "Hàng giả"), ("en;q=0.5, vi", "Hàng giả"),
    ("fr, en;q=0.7", "Counterfeit goods"), ("fr", "Hàng giả"), ("*", "Hàng giả"),
    ("en;q=0", "Hàng giả"), ("en;q=abc", "Hàng giả"), (",,;;=,", "Hàng giả"),
    ("EN-gb", "Counterfeit goods"), ("vi;q=0.2, en;q=0.3", "Counterfeit goods"),
])
async def test_the_api_speaks_vietnamese_unless_english_is_preferred(client, accept_language,
                                                                     name):
    headers = {"accept-language": accept_language} if accept_language is not None else {}
    for fmt in ("json", "xml"):
        response = await client.get(f"/open311/v2/services.{fmt}", headers=headers)
        assert response.status_code == 200
        assert name in response.text


async def test_a_service_definition_lists_the_counterfeit_attributes(client):
    definition = (await client.get("/open311/v2/services/counterfeit.json",
                                  headers=ENGLISH)).json()
    codes = [a["code"] for a in definition["attributes"]]
    for code in ("product_name", "brand", "barcode", "shop_name", "channel", "url",
                 "purchase_date", "price_vnd", "product_group", "quantity", "quantity_unit"):
        assert code in codes
    groups = next(a for a in definition["attributes"] if a["code"] == "product_group")
    assert {"key": "food", "name": "Food and drink"} in groups["values"]
    missing = await client.get("/open311/v2/services/nothing.json", headers=ENGLISH)
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "service_code: Unknown service code."}]


async def test_an_app_files_a_report_with_media_and_follows_it(client):
    response = await client.post("/open311/v2/requests.json", data=API_REPORT,
                                 files=[("media", ("tem.jpg", jpeg_with_gps(), "image/jpeg"))])
    assert response.status_code == 201, response.text
    [created] = response.json()
    code = created["service_request_id"]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", code)
    assert re.fullmatch(r"\d{8}", created["pin"])

    case = await Case.get(tracking_code=code)
    assert (case.agency_code, case.intake_channel, case.sales_channel) == ("qltt", "api", "shop")
    assert case.reporter_name == "Trần Văn Bình" and case.consent
    assert case.barcode_check_ok is True and case.barcode_gs1_prefix == "880"
    assert await Attachment.filter(case=case).count() == 1

    [status] = (await client.get(f"/open311/v2/requests/{code}.json")).json()
    assert status["service_request_id"] == code
    assert status["status"] == "open"
    assert status["service_code"] == "smuggled"
    assert status["agency_responsible"] == "Chi cục Quản lý thị trường"
    assert status["requested_datetime"].endswith("+07:00")
    assert status["expected_datetime"] > status["requested_datetime"]
    body = str(status)
    for private in ("Trần", "0987654321", "Tạp hóa Minh Anh", "Thuốc lá ngoại"):
        assert private not in body


@pytest.mark.parametrize(("sent", "unit"), [
    ({"attribute[quantity]": "12"}, ""), ({"attribute[quantity]": "12.0"}, ""),
    ({"attribute[quantity]": "12", "attribute[quantity_unit]": "hộp"}, "hộp"),
])
async def test_a_quantity_is_a_plain_number_with_its_unit_apart(client, sent, unit):
    response = await client.post("/open311/v2/requests.json", data={**API_REPORT, **sent})
    assert response.status_code == 201, response.text
    case = await Case.get(tracking_code=response.json()[0]["service_request_id"])
    assert (case.quantity, case.quantity_unit) == (12, unit)


async def test_errors_name_the_field_in_open311_form_and_store_nothing(client):
    bad = {**API_REPORT, "attribute[price_vnd]": "-1", "attribute[colour]": "red", "lat": "999"}
    response = await client.post("/open311/v2/requests.json", data=bad,
                                 files=[("media", ("a.jpg", PE_EXECUTABLE, "image/jpeg"))])
    assert response.status_code == 400
    descriptions = {e["description"] for e in response.json()}
    assert all(e["code"] == 400 for e in response.json())
    assert descriptions == {"attribute[price_vnd]: Giá không thể là số âm.",
                            "lat: Phải nằm trong khoảng từ -90 đến 90 độ."}  # colour: kept
    unknown = await client.post("/open311/v2/requests.json",
                                data={**API_REPORT, "service_code": "fake_news"},
                                headers=ENGLISH)
    assert unknown.status_code == 404
    assert unknown.json() == [{"code": 404, "description": "service_code: Unknown service code."}]
    # Files are opened only once the fields are right: a bad request costs no image work.
    assert not any(d.startswith("media:") for d in descriptions)
    response = await client.post("/open311/v2/requests.json", data=API_REPORT, headers=ENGLISH,
                                 files=[("media", ("a.jpg", PE_EXECUTABLE, "image/jpeg"))])
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description":
                                "media: “a.jpg” is not a photo (JPEG, PNG, WebP) or a PDF."}]
    assert await Case.all().count() == 0


async def test_errors_come_in_english_when_asked(client):
    response = await client.post("/open311/v2/requests.json",
                                 data={**API_REPORT, "attribute[price_vnd]": "-1"},
                                 headers={"accept-language": "en-GB,en;q=0.9,vi;q=0.5"})
    assert response.json() == [{"code": 400, "description":
                                "attribute[price_vnd]: The price cannot be negative."}]


async def test_an_unknown_request_is_a_404_in_open311_form(client):
    response = await client.get("/open311/v2/requests/ZZZZZZZZZZ.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


async def test_health_check_reports_the_database(client):
    response = await client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_an_app_asks_for_sms_with_the_reporters_consent_and_a_mobile_number(client):
    definition = (await client.get("/open311/v2/services/smuggled.json",
                                  headers=ENGLISH)).json()
    [sms] = [a for a in definition["attributes"] if a["code"] == "notify_sms"]
    assert sms["datatype"] == "singlevaluelist" and not sms["required"]
    asked = {**API_REPORT, "attribute[notify_sms]": "true", "phone": "+84 987 654 321"}
    filed = await client.post("/open311/v2/requests.json", data=asked)
    assert filed.status_code == 201, filed.text
    case = await Case.get(tracking_code=filed.json()[0]["service_request_id"])
    assert case.notify_sms and case.reporter_phone == "0987654321"
    # Without the reporter's consent: filed, and neither the number nor the SMS wish is kept,
    # as the answer says.
    unconsented = await client.post("/open311/v2/requests.json", headers=ENGLISH,
                                    data={**asked, "attribute[consent]": "false"})
    assert unconsented.status_code == 201, unconsented.text
    assert "Contact details were not stored" in unconsented.json()[0]["service_notice"]
    kept = await Case.get(tracking_code=unconsented.json()[0]["service_request_id"])
    assert (kept.notify_sms, kept.reporter_phone, kept.reporter_name) == (False, "", "")
    # To a landline, or with no number: refused, named.
    for changed, named in (({"phone": "024 3825 1234"}, "phone"),
                           ({"phone": "", "first_name": "", "last_name": ""},
                            "attribute[notify_sms]")):
        refused = await client.post("/open311/v2/requests.json",
                                    data={**asked, **changed}, headers=ENGLISH)
        assert refused.status_code == 400, changed
        assert any(error["description"].startswith(f"{named}:")
                   for error in refused.json()), refused.json()


def without(*names: str) -> dict[str, str]:
    return {name: value for name, value in API_REPORT.items() if name not in names}


@pytest.mark.parametrize("answer_format", ["json", "xml"])
async def test_a_report_says_where_as_the_spec_asks_and_within_the_province(client,
                                                                          answer_format):
    """lat and long, address_string or address_id: one is required; a position elsewhere
    (Chicago, Hà Nội) is refused naming lat; address_id is the ward's official code."""
    path = f"/open311/v2/requests.{answer_format}"
    nowhere = await client.post(path, data=without("lat", "long"), headers=ENGLISH)
    assert nowhere.status_code == 400 and "lat: Say where the goods were sold" in nowhere.text
    for lat, long in (("41.8781", "-87.6298"), ("21.0285", "105.8542")):
        elsewhere = await client.post(path, data={**API_REPORT, "lat": lat, "long": long},
                                      headers=ENGLISH)
        assert elsewhere.status_code == 400 and "lat: This position" in elsewhere.text
        assert "outside Tỉnh Khánh Hòa" in elsewhere.text
    assert await Case.all().count() == 0
    # Trường Sa is Khánh Hòa's too.
    at_sea = await client.post(path, data={**API_REPORT, "lat": "8.6453", "long": "111.9201"})
    assert at_sea.status_code == 201, at_sea.text
    by_address = await client.post(path, data={**without("lat", "long"),
                                               "address_string": "Chợ Đầm, Nha Trang"})
    assert by_address.status_code == 201, by_address.text
    by_code = await client.post(path, data={**without("lat", "long"), "address_id": "22366"})
    assert by_code.status_code == 201, by_code.text
    coded = await Case.filter(commune_code=22366).get()
    assert coded.commune == "Phường Nha Trang"
    # An attribute a client sends empty leaves the place to address_id.
    blank = await client.post(path, data={**without("lat", "long"), "address_id": "22366",
                                          "attribute[commune]": "", "attribute[street]": " "})
    assert blank.status_code == 201, blank.text
    wrong_code = await client.post(path, data={**without("lat", "long"), "address_id": "70"},
                                   headers=ENGLISH)  # Hoàn Kiếm, in Hà Nội
    # Named as the client sent them, not by the attributes they stand in for.
    assert wrong_code.status_code == 400 and "address_id: " in wrong_code.text
    assert "attribute[commune]" not in wrong_code.text
    disguised = await client.post(path, data={**without("lat", "long"),
                                              "address_string": "Chợ Đầm\u202e, Nha Trang"},
                                  headers=ENGLISH)
    assert disguised.status_code == 400 and "address_string: " in disguised.text
    assert "attribute[street]" not in disguised.text


@pytest.mark.parametrize("answer_format", ["json", "xml"])
async def test_the_description_is_optional_as_the_spec_says_but_says_something_if_given(
        client, answer_format):
    path = f"/open311/v2/requests.{answer_format}"
    bare = await client.post(path, data=without("description"))
    assert bare.status_code == 201, bare.text
    short = await client.post(path, data={**API_REPORT, "description": "Hàng giả"})
    assert short.status_code == 201, short.text
    assert {case.description for case in await Case.all()} == {"", "Hàng giả"}
    empty_words = await client.post(path, data={**API_REPORT, "description": "?!…"},
                                    headers=ENGLISH)
    assert empty_words.status_code == 400 and "description:" in empty_words.text
    # The service's definition and the OpenAPI description agree: not required.
    openapi = (await client.get("/open311/v2/openapi.json")).json()
    forms = [names for names in _required_lists(openapi) if "attribute[product_name]" in names]
    assert forms and all("service_code" in form and "description" not in form for form in forms)


def _required_lists(document: object) -> list[list[str]]:
    """Every `required` list in an OpenAPI document."""
    found: list[list[str]] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "required" and isinstance(value, list):
                found.append(value)
            else:
                found += _required_lists(value)
    elif isinstance(document, list):
        for item in document:
            found += _required_lists(item)
    return found


async def test_a_field_sent_twice_with_two_values_is_refused_whatever_its_kind(client):
    """Which of two service codes or brands was meant is not for the server to guess; the same
    value twice (a client's retry of one field) is one value."""
    path = "/open311/v2/requests.json"
    for name, values in (("service_code", ["counterfeit", "nope"]),
                         ("attribute[brand]", ["Esse", "Marlboro"]),
                         ("address_id", ["22366", "22369"]), ("first_name", ["Trần", "Lê"])):
        twice = await client.post(path, data={**API_REPORT, name: values}, headers=ENGLISH)
        assert twice.status_code == 400
        assert twice.json() == [{"code": 400, "description": f"{name}: Give one value."}]
    assert await Case.all().count() == 0
    # Contact details sent without consent are dropped, however many: never a refusal.
    without_consent = {name: value for name, value in API_REPORT.items()
                       if name != "attribute[consent]"}
    dropped = await client.post(path, data={**without_consent,
                                            "email": ["a@example.com", "b@example.com"]})
    assert dropped.status_code == 201, dropped.text
    [kept] = dropped.json()
    assert (await Case.get(tracking_code=kept["service_request_id"])).reporter_email == ""
    same = await client.post(path, data={**API_REPORT, "service_code": ["counterfeit"] * 2})
    assert same.status_code == 201
    [filed] = same.json()
    assert (await Case.get(tracking_code=filed["service_request_id"])).category == "counterfeit"
