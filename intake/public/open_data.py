"""The public open-data page and its files at stable URLs: /open-data, /open-data/monthly.csv,
/open-data/monthly.json. Published months only (workflows.figures.open_data, open_files)."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response

from intake.context import app_context, translator
from intake.templating import render
from workflows.audit.sequencer import latest_checkpoint
from workflows.figures import open_files
from workflows.figures.open_data import MonthFigures, published_months
from workflows.reference.boundaries import Boundaries

# Anyone may read and re-use these files; an hour of caching is plenty for monthly figures.
OPEN_HEADERS = {"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"}


async def _months(request: Request) -> list[MonthFigures]:
    return await published_months(app_context(request).reference.calendar,
                                  dt.datetime.now(dt.UTC))


def commune_points(month: MonthFigures, boundaries: Boundaries | None) -> list[dict[str, object]]:
    """The month's reports received per commune or ward, at a point inside each (for the
    map; the table beside it has every commune, those without a boundary too)."""
    centres = boundaries.centres if boundaries else {}
    return [{"lat": centres[code][0], "lon": centres[code][1], "label": f"{code}: {received}",
             "count": received}
            for row in month.rows if row["breakdown"] == "commune"
            and (code := str(row["code"])) in centres
            and (received := int(str(row["received"]))) > 0]


async def open_data_page(request: Request) -> Response:
    months = await _months(request)
    latest = months[0] if months else None
    tables = (open_files.tables(latest, app_context(request).reference, translator(request))
              if latest else {})
    boundaries = app_context(request).reference.boundaries
    return render(request, "public/open_data.html",
                  {"latest": latest, "tables": tables, "history": open_files.history(months),
                   "checkpoint": await latest_checkpoint(),
                   "commune_points": commune_points(latest, boundaries) if latest else []},
                  headers={"Cache-Control": "public, max-age=600"})


async def open_data_csv(request: Request) -> Response:
    rows = open_files.records(await _months(request), app_context(request).reference)
    return Response(open_files.to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={**OPEN_HEADERS,
                             "Content-Disposition": 'inline; filename="intake-open-data.csv"'})


async def open_data_json(request: Request) -> Response:
    rows = open_files.records(await _months(request), app_context(request).reference)
    return Response(open_files.to_json(rows), media_type="application/json",
                    headers=OPEN_HEADERS)
