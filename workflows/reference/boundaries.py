"""Where the province's communes and wards lie, from config/boundaries.geojson (optional): a
GeoJSON FeatureCollection of Polygons or MultiPolygons, each named (`properties.name`) by a
commune or ward of config/communes.toml. A map pin is placed in one with a maintained library
(shapely) — a guess the citizen can always change; the open data map puts each commune's
count at its centre."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from workflows.reference.tomlfile import ConfigError


@dataclass(frozen=True)
class Boundaries:
    names: tuple[str, ...]
    shapes: tuple[Any, ...] = field(repr=False)  # shapely geometries, in (longitude, latitude)
    _tree: Any = field(default=None, repr=False, compare=False)

    def commune_at(self, latitude: float, longitude: float) -> str | None:
        """The commune or ward this point lies in (on a shared border: the first listed)."""
        from shapely import Point

        found = sorted(self._tree.query(Point(longitude, latitude), predicate="intersects"))
        return self.names[found[0]] if found else None

    @cached_property
    def centres(self) -> dict[str, tuple[float, float]]:
        """A point inside each commune or ward, as (latitude, longitude), for its label."""
        points = (shape.representative_point() for shape in self.shapes)
        return {name: (point.y, point.x) for name, point in zip(self.names, points, strict=True)}


def load_boundaries(path: Path, communes: Sequence[str]) -> Boundaries | None:
    """None when the file is absent: then no commune is guessed from a pin."""
    if not path.exists():
        return None
    import shapely
    from shapely.geometry import shape

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as wrong:
        raise ConfigError(f"{path}: not GeoJSON ({wrong})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise ConfigError(f"{path}: expected a GeoJSON FeatureCollection")
    names: list[str] = []
    shapes: list[Any] = []
    for number, feature in enumerate(data["features"], start=1):
        where = f"{path}: feature {number}"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        name = properties.get("name") if isinstance(properties, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: properties.name must name a commune or ward")
        name = name.strip()
        if communes and name not in communes:
            raise ConfigError(f"{where}: {name!r} is not in config/communes.toml")
        if name in names:
            raise ConfigError(f"{where}: {name!r} has a boundary already")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon",
                                                                          "MultiPolygon"):
            raise ConfigError(f"{where}: the geometry must be a Polygon or a MultiPolygon")
        try:
            outline = shape(geometry)
        except (ValueError, TypeError, AttributeError, IndexError) as wrong:
            raise ConfigError(f"{where}: {wrong}") from None
        if outline.is_empty or not outline.is_valid:
            raise ConfigError(f"{where}: {name!r}: the outline is empty or crosses itself")
        minx, miny, maxx, maxy = outline.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ConfigError(f"{where}: coordinates are [longitude, latitude] in degrees")
        names.append(name)
        shapes.append(outline)
    return Boundaries(tuple(names), tuple(shapes), shapely.STRtree(shapes))
