"""Security headers on every kind of answer, and cookies that only travel over https when the
service is published on https."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from tests.conftest import running_app
from tests.helpers import post_report
from tests.intake.conftest import sign_in

PAGES = ["/report", "/track?code=KHONG-CO", "/staff/login", "/open-data",
         "/open311/v2/services.json", "/khong-co-trang-nay"]


@pytest.mark.parametrize("path", PAGES)
async def test_every_answer_forbids_framing_sniffing_and_foreign_scripts(client, path):
    response = await client.get(path)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # plain http: no HSTS


async def test_on_https_every_cookie_is_secure_and_hsts_is_sent(settings, accounts):
    published = replace(settings, base_url="https://phananh.example.gov.vn")
    async with running_app(published) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            form = await client.get("/report")
            assert form.headers["strict-transport-security"].startswith("max-age=")
            filed = await post_report(client)
            signed_in = await sign_in(client, "officer")
            cookies = [*form.headers.get_list("set-cookie"), *filed.headers.get_list("set-cookie"),
                       *signed_in.headers.get_list("set-cookie")]
            names = {cookie.split("=", 1)[0] for cookie in cookies}
            assert {"intake_csrf", "intake_receipt", "intake_session"} <= names
            for cookie in cookies:
                attributes = [part.strip().lower() for part in cookie.split(";")]
                assert "secure" in attributes and "httponly" in attributes, cookie
