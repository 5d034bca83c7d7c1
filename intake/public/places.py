"""Which commune or ward a map pin falls in, for the report form's map (where boundaries are
configured): a guess the citizen can change, worked out from config/, nothing stored."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intake.context import app_context


def _degrees(typed: str, limit: float) -> float | None:
    try:
        value = float(typed)
    except ValueError:
        return None
    return value if math.isfinite(value) and -limit <= value <= limit else None


async def commune_at(request: Request) -> Response:
    latitude = _degrees(request.query_params.get("lat", ""), 90)
    longitude = _degrees(request.query_params.get("lon", ""), 180)
    if latitude is None or longitude is None:
        return JSONResponse({"error": "lat and lon must be degrees"}, status_code=400)
    boundaries = app_context(request).reference.boundaries
    found = boundaries.commune_at(latitude, longitude) if boundaries else None
    return JSONResponse({"commune": found}, headers={"Cache-Control": "public, max-age=3600"})
