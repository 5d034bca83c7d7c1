"""A cheap request cannot cost the server seconds: fields are checked and the allowance
charged before any image is decoded, the images of one request share a pixel budget read from
their headers, and what a reporter adds later is under an allowance of its own.

The images here are PNGs whose headers claim a size their data does not hold: decoded, each
would be refused as damaged, so a refusal that names anything else shows nothing was decoded."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import browser, running_app
from tests.helpers import VALID_REPORT, csrf_token, post_report
from tests.intake.public.test_pages import file_and_read_receipt
from tests.workflows.evidence.test_checks import png_claiming
from workflows.cases.models import Case

BIG = png_claiming(6000, 6000)  # 36 MP: under the 40 MP of one image, not two of them


@pytest.fixture
async def limited_app(settings):
    async with running_app(replace(settings, report_rate_limit=1,
                                   followup_rate_limit=1)) as app:
        yield app


async def test_a_request_with_a_wrong_field_never_opens_its_images(client):
    response = await post_report(client, {**VALID_REPORT, "purchase_date": "hôm qua"},
                                 [("tem.png", BIG, "image/png")])
    assert response.status_code == 400
    assert 'id="purchase_date-error"' in response.text
    assert 'id="photos-error"' not in response.text  # the photo was never decoded
    assert not await Case.exists()


async def test_a_request_over_the_allowance_never_opens_its_images(limited_app):
    async with browser(limited_app) as client:
        assert (await post_report(client)).status_code == 303
        refused = await post_report(client, files=[("tem.png", BIG, "image/png")])
    assert refused.status_code == 429
    assert 'id="photos-error"' not in refused.text
    assert await Case.all().count() == 1


async def test_the_images_of_one_request_share_a_pixel_budget(client):
    refused = await post_report(client, files=[("a.png", BIG, "image/png"),
                                               ("b.png", BIG, "image/png")])
    assert refused.status_code == 400
    assert "Các ảnh gộp lại có hơn 60 megapixel" in refused.text
    assert not await Case.exists()
    api = await client.post("/open311/v2/requests.json", data={
        "service_code": "counterfeit", "description": VALID_REPORT["description"],
        "lat": "12.24", "long": "109.19",
        "attribute[product_name]": "Nước mắm", "attribute[product_group]": "food",
        "attribute[channel]": "market"},
        files=[("media", ("a.png", BIG, "image/png")), ("media", ("b.png", BIG, "image/png"))])
    assert api.status_code == 400 and "hơn 60 megapixel" in api.json()[0]["description"]


async def test_what_a_reporter_adds_is_under_an_allowance(limited_app):
    async with browser(limited_app) as client:
        code, pin, _ = await file_and_read_receipt(client)
        token = await csrf_token(client, "/track")
        assert (await client.post("/track/access", data={
            "code": code, "pin": pin, "csrf_token": token})).status_code == 303
        token = await csrf_token(client, f"/track/{code}/reporter")
        first = await client.post(f"/track/{code}/reporter",
                                  data={"body": "Thêm một chai nữa.", "csrf_token": token})
        assert first.status_code == 303
        second = await client.post(f"/track/{code}/reporter",
                                   data={"body": "Và một chai nữa.", "csrf_token": token},
                                   files=[("photos", ("tem.png", BIG, "image/png"))])
    assert second.status_code == 429
    assert "Và một chai nữa." in second.text  # kept as typed
    assert 'id="photos-error"' not in second.text
