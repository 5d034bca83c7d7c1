"""The request body cap: checked on the declared length, and while a chunked body streams in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import browser, running_app
from tests.helpers import VALID_REPORT, csrf_token, jpeg_with_gps
from workflows.cases.models import Case

MB = 1024 * 1024


@pytest.fixture
async def small_app(settings):
    async with running_app(replace(settings, max_attachments=1,
                                   max_attachment_bytes=MB)) as app:  # cap: 2 MB
        yield app


def multipart(token: str, photo: bytes) -> tuple[bytes, str]:
    boundary = "----intake-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in {**VALID_REPORT, "csrf_token": token}.items()]
    head = "".join(parts) + (f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
                             f'filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n')
    body = head.encode() + photo + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


async def test_a_declared_length_over_the_cap_is_refused_before_reading(small_app):
    async with browser(small_app) as client:
        token = await csrf_token(client)
        body, kind = multipart(token, b"\xff" * 3 * MB)
        response = await client.post("/report", content=body, headers={"content-type": kind})
        api = await client.post("/open311/v2/requests.xml", content=body,
                                headers={"content-type": kind, "accept-language": "en"})
    # Said in the visitor's language, by what they can change.
    assert response.status_code == 413
    assert response.text.startswith("Biểu mẫu quá lớn") and "tối đa 1 tệp" in response.text
    assert api.status_code == 413 and "<code>413</code>" in api.text
    assert "The form was too large to be read: send at most 1 files" in api.text
    assert not await Case.exists()


async def test_a_chunked_body_is_cut_off_at_the_cap_with_a_message_on_the_form(small_app):
    async with browser(small_app) as client:
        token = await csrf_token(client)
        body, kind = multipart(token, b"\xff" * 3 * MB)

        async def chunks():  # no Content-Length: the length is only known by reading
            for start in range(0, len(body), 64 * 1024):
                yield body[start:start + 64 * 1024]

        response = await client.post("/report", content=chunks(),
                                     headers={"content-type": kind})
    assert "content-length" not in response.request.headers
    assert response.status_code == 400
    assert "Biểu mẫu quá lớn" in response.text and "tối đa 1 tệp" in response.text
    assert not await Case.exists()


async def test_a_report_within_the_cap_still_goes_through(small_app):
    async with browser(small_app) as client:
        token = await csrf_token(client)
        body, kind = multipart(token, jpeg_with_gps())
        response = await client.post("/report", content=body, headers={"content-type": kind})
    assert response.status_code == 303
    assert await Case.all().count() == 1
