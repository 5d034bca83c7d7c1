"""The map in a real browser, its tiles from a local tile server (the edge of the outside
world: a small HTTP server in this test that answers every tile with a PNG and records what
was asked): a citizen touches the map where the shop is and the commune is chosen from the
pin; "use my location" moves the pin and the commune; the report keeps the position; the
inspector sees the pin on the case page and the queue's map."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.async_api import expect

from intake.settings import Settings
from tests.browser.conftest import PHONE, new_page, serious_violations, sign_in
from tests.browser.test_experience import fill_required
from tests.conftest import running_app
from tests.helpers import png_bytes
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD
from tests.live import free_port, start_server
from workflows.access.accounts import create_user
from workflows.cases.models import Case

TILE = png_bytes(256, 256)


class TileServer:
    def __init__(self) -> None:
        self.asked: list[str] = []
        asked = self.asked

        class Tiles(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                asked.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(TILE)))
                self.end_headers()
                self.wfile.write(TILE)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tiles/{{z}}/{{x}}/{{y}}.png"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tiles() -> Iterator[TileServer]:
    server = TileServer()
    yield server
    server.stop()


@pytest.fixture
async def map_site(settings: Settings, tiles: TileServer) -> AsyncIterator[str]:
    async with running_app(settings):
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
    port = free_port()
    server = start_server(settings, port, env={"INTAKE_MAP_TILES": tiles.url,
                                               "INTAKE_MAP_ATTRIBUTION": "Bản đồ thử nghiệm"})
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


async def test_a_citizen_pins_the_shop_and_the_commune_follows(
        map_site, chrome, axe_source, tiles, settings: Settings, screenshots):
    phone = await new_page(chrome, map_site, PHONE, is_mobile=True, has_touch=True,
                           geolocation={"latitude": 12.3000, "longitude": 109.2000},
                           permissions=["geolocation"])
    await phone.goto("/report")
    picker = phone.locator("[data-map=pick]")
    await expect(picker.locator("img.leaflet-tile-loaded").first).to_be_visible()
    assert any(path.startswith("/tiles/12/") for path in tiles.asked)
    await expect(picker).to_contain_text("Bản đồ thử nghiệm")

    # Touch the middle of the map: the wards' middle, inside Phường Nha Trang.
    box = await picker.bounding_box()
    assert box is not None
    await picker.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    await expect(phone.locator("#commune")).to_have_value("Phường Nha Trang")
    await expect(phone.locator("#position-status")).to_contain_text("Phường Nha Trang")
    latitude = float(await phone.locator("#latitude").input_value())
    assert 12.23 < latitude < 12.27
    await expect(picker.locator(".leaflet-marker-icon")).to_have_count(1)

    # "Use my location": the phone says 12.30, 109.20 — Phường Bắc Nha Trang.
    await phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    await expect(phone.locator("#commune")).to_have_value("Phường Bắc Nha Trang")
    await expect(phone.locator("#latitude")).to_have_value("12.300000")
    await expect(phone.locator("#longitude")).to_have_value("109.200000")
    # Still the citizen's choice: the list can be changed after the guess.
    await phone.locator("#commune").select_option("Phường Cam Ranh")
    await phone.locator("#commune").select_option("Phường Bắc Nha Trang")
    assert not await serious_violations(phone, axe_source)
    await phone.screenshot(path=screenshots / "report-map.png", full_page=True)
    await fill_required(phone)
    await phone.get_by_role("button", name="Gửi phản ánh").click()
    await expect(phone.locator("#tracking-code")).to_be_visible()
    code = (await phone.locator("#tracking-code").inner_text()).replace("-", "").strip()

    async with running_app(settings):
        case = await Case.get(tracking_code=code)
        assert (case.latitude, case.longitude, case.commune) == (12.3, 109.2,
                                                                 "Phường Bắc Nha Trang")

    # The inspector's case page and queue show the pin.
    desk = await new_page(chrome, map_site)
    await sign_in(desk, "qltt_lead")
    await desk.goto(f"/staff/cases/{code}")
    await expect(desk.locator("#case-map .leaflet-marker-icon")).to_have_count(1)
    await desk.goto("/staff/queue")
    await expect(desk.locator("#queue-map .leaflet-marker-icon")).to_have_count(1)
