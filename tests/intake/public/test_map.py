"""The map pieces over HTTP: the commune or ward of a pin; the maps and Leaflet only where
INTAKE_MAP_TILES is set, the page's CSP then allowing the tile server and nothing else; the
form without a map still takes a position by hand; the open data map's points per commune."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from intake.public.open_data import commune_points
from intake.settings import Settings, SettingsError
from tests.conftest import browser, running_app
from tests.helpers import VALID_REPORT
from tests.intake.public.test_pages import file_and_read_receipt
from workflows.cases.models import Case
from workflows.figures.open_data import MonthFigures

TILES = "http://127.0.0.1:8999/tiles/{z}/{x}/{y}.png"


async def test_a_pin_names_its_commune_and_nonsense_is_refused(client):
    found = await client.get("/report/place", params={"lat": "12.2450", "lon": "109.1950"})
    assert found.status_code == 200 and found.json() == {"commune": "Phường Nha Trang"}
    nowhere = await client.get("/report/place", params={"lat": "10.77", "lon": "106.70"})
    assert nowhere.json() == {"commune": None}
    for params in ({"lat": "91", "lon": "109"}, {"lat": "nan", "lon": "109"},
                   {"lat": "12.2"}, {"lat": "1e999", "lon": "0"}, {"lat": "12,2", "lon": "109"}):
        refused = await client.get("/report/place", params=params)
        assert refused.status_code == 400


async def test_without_tiles_there_is_no_map_but_a_position_can_be_typed(client):
    form = await client.get("/report")
    assert "data-map" not in form.text and "leaflet" not in form.text
    assert 'id="latitude"' in form.text and 'id="longitude"' in form.text
    assert "127.0.0.1:8999" not in form.headers["content-security-policy"]
    code, _, _ = await file_and_read_receipt(client, {**VALID_REPORT, "latitude": "12.2450",
                                                      "longitude": "109.1950"})
    case = await Case.get(tracking_code=code)
    assert (case.latitude, case.longitude) == (12.245, 109.195)


async def test_with_tiles_the_form_has_its_map_and_the_csp_allows_only_that_server(
        settings: Settings):
    async with running_app(replace(settings, map_tiles=TILES)) as app, browser(app) as client:
        form = await client.get("/report")
        assert 'data-map="pick"' in form.text and "/static/leaflet/leaflet.js" in form.text
        config = json.loads(re.search(r'data-config="([^"]+)"', form.text).group(1)
                            .replace("&#34;", '"'))
        assert config["tiles"] == TILES and 12 < config["centre"][0] < 12.4
        policy = form.headers["content-security-policy"]
        assert re.search(r"img-src 'self' data: blob: http://127\.0\.0\.1:8999;", policy)
        assert "script-src 'self';" in policy  # the map's script is served from here too
        assert (await client.get("/static/leaflet/leaflet.js")).status_code == 200
        assert (await client.get("/static/map.js")).status_code == 200


@pytest.mark.parametrize("tiles", ["https://tiles.example.vn/tile.png", "ftp://x/{z}/{x}/{y}",
                                   "javascript:alert(1)//{z}{x}{y}"])
def test_a_tile_address_without_its_parts_is_refused_at_start(tiles):
    with pytest.raises(SettingsError, match="INTAKE_MAP_TILES"):
        Settings.from_env({"INTAKE_MAP_TILES": tiles, "INTAKE_SECRET_KEY": "x" * 40,
                           "INTAKE_DATA_DIR": "/tmp/intake-map-test"})


def test_the_open_data_map_puts_each_communes_count_inside_it(settings: Settings):
    from workflows.reference.loading import load_reference
    boundaries = load_reference(settings.config_dir).boundaries
    month = MonthFigures("2026-10", None, None, [  # type: ignore[arg-type]
        {"breakdown": "commune", "code": "Phường Nha Trang", "received": 7},
        {"breakdown": "commune", "code": "Phường Ninh Hòa", "received": 3},  # no boundary
        {"breakdown": "commune", "code": "", "received": 4},  # online
        {"breakdown": "commune", "code": "Phường Tây Nha Trang", "received": 0},
        {"breakdown": "category", "code": "counterfeit", "received": 14}])
    [point] = commune_points(month, boundaries)
    assert point["count"] == 7 and point["label"] == "Phường Nha Trang: 7"
    assert boundaries.commune_at(point["lat"], point["lon"]) == "Phường Nha Trang"
    assert commune_points(month, None) == []
