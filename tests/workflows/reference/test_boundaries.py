"""Which commune or ward a pin falls in, from config/boundaries.geojson through shapely; and
a boundaries file with a mistake is refused at start, naming the feature and what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflows.reference.boundaries import load_boundaries
from workflows.reference.loading import load_reference
from workflows.reference.tomlfile import ConfigError

ROOT = Path(__file__).resolve().parents[3]


def test_a_pin_is_placed_in_its_ward_and_outside_in_none():
    boundaries = load_reference(ROOT / "config").boundaries
    assert boundaries is not None
    assert boundaries.commune_at(12.2450, 109.1950) == "Phường Nha Trang"
    assert boundaries.commune_at(12.3000, 109.2000) == "Phường Bắc Nha Trang"
    assert boundaries.commune_at(12.2000, 109.1200) == "Phường Tây Nha Trang"
    assert boundaries.commune_at(10.7769, 106.7009) is None  # Ho Chi Minh City
    # (latitude, longitude), not GeoJSON's (longitude, latitude): swapped, it is nowhere.
    assert boundaries.commune_at(109.1950, 12.2450) is None
    for name, (latitude, longitude) in boundaries.centres.items():
        assert boundaries.commune_at(latitude, longitude) == name


def write(tmp_path: Path, features: list[dict]) -> Path:
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def feature(name: str, ring: list[list[float]]) -> dict:
    return {"type": "Feature", "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


SQUARE = [[109.1, 12.1], [109.2, 12.1], [109.2, 12.2], [109.1, 12.2], [109.1, 12.1]]


@pytest.mark.parametrize("features, words", [
    ([feature("Phường Không Có", SQUARE)], "is not in config/communes.toml"),
    ([feature("Phường Nha Trang", SQUARE), feature("Phường Nha Trang", SQUARE)],
     "has a boundary already"),
    ([feature("Phường Nha Trang", [[109.1, 12.1], [109.2, 12.2], [109.2, 12.1], [109.1, 12.2],
                                   [109.1, 12.1]])], "crosses itself"),
    ([feature("Phường Nha Trang", [[12.1, 209.1], [12.2, 209.1], [12.2, 209.2], [12.1, 209.1]])],
     "[longitude, latitude]"),
    ([{"type": "Feature", "properties": {"name": "Phường Nha Trang"},
       "geometry": {"type": "Point", "coordinates": [109.1, 12.1]}}], "Polygon"),
    ([{"type": "Feature", "properties": {}, "geometry": None}], "properties.name"),
])
def test_a_wrong_boundaries_file_is_refused_with_its_feature(tmp_path, features, words):
    communes = ("Phường Nha Trang", "Phường Bắc Nha Trang")
    with pytest.raises(ConfigError) as refused:
        load_boundaries(write(tmp_path, features), communes)
    assert "feature" in str(refused.value) and words in str(refused.value)


def test_no_file_means_no_guess(tmp_path):
    assert load_boundaries(tmp_path / "boundaries.geojson", ()) is None
    (tmp_path / "broken.geojson").write_text("{not json")
    with pytest.raises(ConfigError, match="not GeoJSON"):
        load_boundaries(tmp_path / "broken.geojson", ())
