"""The public open-data page and its files at stable URLs: /open-data, /open-data/monthly.csv,
/open-data/monthly.json. Aggregates of published months only (see workflows.open_data)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from intake.context import app_context
from intake.templating import render
from workflows.figures.open_data import MonthFigures, published_months
from workflows.i18n.messages import N_
from workflows.reference import catalog

COLUMNS = ("month", "first_day", "last_day", "breakdown", "code", "name_vi", "name_en",
           "received", "resolved", "resolved_in_time", "on_time_share")
# Anyone may read and re-use these files; an hour of caching is plenty for monthly figures.
OPEN_HEADERS = {"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"}
TERMS = {"category": catalog.CATEGORIES, "product_group": catalog.PRODUCT_GROUPS}


def _names(request: Request, breakdown: str, code: str) -> tuple[str, str]:
    """The name of a breakdown's code in Vietnamese and in English."""
    reference = app_context(request).reference
    terms = list(reference.agencies.values()) if breakdown == "agency" else TERMS[breakdown]
    vi, en = reference.translator("vi"), reference.translator("en")
    return (vi.label(terms, code, vi.gettext(N_("Awaiting triage"))),
            en.label(terms, code, en.gettext(N_("Awaiting triage"))))


def _share(resolved: int, in_time: int) -> float | None:
    return round(in_time / resolved, 4) if resolved else None


def _records(request: Request, months: list[MonthFigures]) -> list[dict[str, Any]]:
    records = []
    for month in months:
        for row in month.rows:
            name_vi, name_en = _names(request, str(row["breakdown"]), str(row["code"]))
            resolved, in_time = int(row["resolved"]), int(row["resolved_in_time"])  # type: ignore[call-overload]
            records.append({"month": month.label, "first_day": month.first_day.isoformat(),
                            "last_day": month.last_day.isoformat(),
                            "breakdown": row["breakdown"], "code": row["code"],
                            "name_vi": name_vi, "name_en": name_en,
                            "received": row["received"], "resolved": resolved,
                            "resolved_in_time": in_time, "on_time_share": _share(resolved, in_time)})
    return records


async def _months(request: Request) -> list[MonthFigures]:
    return await published_months(app_context(request).reference.calendar,
                                  dt.datetime.now(dt.UTC))


async def open_data_page(request: Request) -> Response:
    months = await _months(request)
    language = request.state.language
    latest = months[0] if months else None
    tables = {}
    if latest:
        for breakdown in ("category", "product_group", "agency"):
            rows = [row for row in latest.rows if row["breakdown"] == breakdown]
            rows.sort(key=lambda row: -int(row["received"]))  # type: ignore[call-overload]
            tables[breakdown] = [
                (_names(request, breakdown, str(row["code"]))[1 if language == "en" else 0],
                 row["received"], row["resolved"],
                 _share(int(row["resolved"]), int(row["resolved_in_time"])))  # type: ignore[call-overload]
                for row in rows]
    history = [(month, month.total("received"), month.total("resolved"),
                _share(month.total("resolved"), month.total("resolved_in_time")))
               for month in months]
    return render(request, "public/open_data.html",
                  {"latest": latest, "tables": tables, "history": history},
                  headers={"Cache-Control": "public, max-age=600"})


async def open_data_csv(request: Request) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(_records(request, await _months(request)))
    return Response(("\ufeff" + buffer.getvalue()).encode("utf-8"),
                    media_type="text/csv; charset=utf-8",
                    headers={**OPEN_HEADERS,
                             "Content-Disposition": 'inline; filename="intake-open-data.csv"'})


async def open_data_json(request: Request) -> Response:
    document = {"description": "Citizens' reports of counterfeit, smuggled and substandard "
                               "goods, per reporting month, by category, product group and "
                               "agency. Published months only; no personal data.",
                "columns": list(COLUMNS), "records": _records(request, await _months(request))}
    return Response(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"),
                    media_type="application/json", headers=OPEN_HEADERS)
