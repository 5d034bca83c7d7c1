"""The statistics page and its downloads, for admins, officers, analysts and agency leads.

A lead sees and downloads only their own agency's figures; asking for another agency by URL is
a 404, as for cases. Every download is written to the audit trail with who took it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from intake.backoffice.attachments import download_name
from intake.backoffice.auth import staff_only
from intake.context import app_context, translator
from intake.requester import retry_after
from intake.templating import render
from workflows.access.models import StaffUser
from workflows.access.roles import STATS_ROLES, stats_scope
from workflows.audit.log import Actor
from workflows.figures import charts, files, line_list, pdf
from workflows.figures.dashboard import Dashboard, dashboard
from workflows.figures.export_limits import (
    RETRY_SECONDS,
    ExportsUsedUp,
    QueueFull,
    charge_export,
)
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.i18n.translations import Translator
from workflows.parties.supporters import supporting_count
from workflows.reference import catalog
from workflows.reference.reporting import Period, PeriodError, ReportingCalendar, date_range

DOWNLOAD_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


@dataclass(frozen=True)
class StatsQuery:
    period: Period
    agency_code: str | None
    problem: Problem | None  # why the typed period was not understood (this month is shown)
    typed: dict[str, str]


def _agency_for(request: Request, user: StaffUser) -> tuple[bool, str | None]:
    return stats_scope(user, request.query_params.get("agency", ""),
                       frozenset(app_context(request).reference.agencies))


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _period(request: Request) -> tuple[Period, Problem | None]:
    calendar = app_context(request).reference.calendar
    params = request.query_params
    today = dt.datetime.now(VIETNAM).date()
    try:
        if params.get("from") or params.get("to"):
            return date_range(dt.date.fromisoformat(params.get("from", "")),
                              dt.date.fromisoformat(params.get("to", ""))), None
        if params.get("period"):
            return calendar.period(params["period"][:50]), None
    except PeriodError as error:
        return calendar.month(today), error.problem
    except ValueError:  # a date missing, or no day on the calendar
        typed = [params.get("from", ""), params.get("to", "")]
        wrong = next((text for text in typed if text and not _is_day(text)), None)
        if wrong is None or not all(typed):
            return calendar.month(today), Problem(N_("Give both dates, the start and the end."))
        return calendar.month(today), Problem(N_("“{typed}” is not a date (year-month-day, "
                                                 "such as 2026-10-31)."), {"typed": wrong[:20]})
    return calendar.month(today), None


def _query(request: Request, user: StaffUser) -> StatsQuery | None:
    allowed, agency_code = _agency_for(request, user)
    if not allowed:
        return None
    period, problem = _period(request)
    typed = {key: request.query_params.get(key, "")[:50] for key in ("period", "from", "to")}
    return StatsQuery(period, agency_code, problem, typed)


def _chart_data(board: Dashboard, words: Translator,
                agency_names: dict[str, str]) -> dict[str, Any]:
    """The rows behind each chart, (label, value), also shown as its table."""
    now = board.report.current

    def biggest(counts: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    return {
        "month_labels": [f"{month.last_day:%m/%Y}" for month in board.months],
        "series": [(words.label(catalog.CATEGORIES, code), values)
                   for code, values in board.category_series()],
        "by_agency": [(agency_names.get(code, code) if code else words(N_("Awaiting triage")),
                       count)
            for code, count in biggest(now.by["agency_code"])],
        "communes": [(name or "—", count) for name, count in biggest(now.by["commune"])][:10],
        "brands": now.top_brands,
    }


def _draw(words: Translator, data: dict[str, Any]) -> dict[str, str]:
    _ = words.gettext

    return {
        "monthly": charts.stacked_bars(_(N_("Reports per month, by category")),
                                       data["month_labels"], data["series"]),
        "agencies": charts.pie(_(N_("Share by agency")), data["by_agency"]),
        "communes": charts.horizontal_bars(_(N_("Communes and wards with the most reports")),
                                           data["communes"]),
        "brands": charts.horizontal_bars(_(N_("Brands reported most")), data["brands"]),
    }


async def _render_stats(request: Request, user: StaffUser, query: StatsQuery,
                        problem: Problem | None = None, status_code: int = 200) -> Response:
    """The page; `problem` or the query's own says what went wrong."""
    reference = app_context(request).reference
    words = translator(request)
    board = await dashboard(query.period, reference.calendar, query.agency_code)
    agency_names = {code: words.gettext(agency.label) for code, agency in reference.agencies.items()}
    data = _chart_data(board, words, agency_names)
    return render(request, "staff/stats.html", {
        "user": user, "query": query, "board": board, "data": data, "charts": _draw(words, data),
        "agency_names": agency_names, "problem": problem or query.problem,
        **_choices(reference.calendar, dt.datetime.now(VIETNAM).date()),
        "pdf_available": pdf.soffice() is not None,
        "supporting": [await supporting_count(period.first_day, period.last_day, query.agency_code)
                       for period in (board.report.period, board.report.previous_period)],
    }, status_code=status_code, headers={"Cache-Control": "private, no-store"})


def _choices(calendar: ReportingCalendar, today: dt.date) -> dict[str, list[Period]]:
    """The quick choices: this and last month, the halves and the year; and the plans' reports
    of this year (and of last year's, until this year's first is due)."""
    month = calendar.month(today)
    year = str(month.last_day.year)
    quick = [month, month.previous(), *(calendar.period(f"{year}-{half}") for half in ("H1", "H2")),
             calendar.period(year)]
    this_year = month.last_day.year
    first_due = min((report.due_date(this_year) for report in calendar.reports.values()),
                    default=today)
    years = [this_year - 1, this_year] if today <= first_due else [this_year]
    reports = [calendar.named(code, report_year) for report_year in years
               for code in calendar.reports]
    return {"quick_periods": quick, "reports": reports}


@staff_only(*STATS_ROLES)
async def stats_page(request: Request, user: StaffUser) -> Response:
    query = _query(request, user)
    if query is None:
        return render(request, "public/not_found.html", status_code=404)
    return await _render_stats(request, user, query)


@staff_only(*STATS_ROLES)
async def stats_export(request: Request, user: StaffUser) -> Response:
    """The period's report as the formal XLSX, its PDF, CSV or JSON; with detail=1 the case
    line list (CSV or JSON lines), streamed. Each counts against the account's allowance; a
    PDF waits its turn in the worker's queue, or is refused at once when that is full."""
    query = _query(request, user)
    if query is None:
        return render(request, "public/not_found.html", status_code=404)
    file_format = request.query_params.get("format", "xlsx")
    detail = request.query_params.get("detail") == "1"
    kind = files.download(file_format, detail)
    if query.problem or kind is None:
        return await _render_stats(request, user, query, None if query.problem else Problem(N_(
            "This download does not exist. Choose one on this page.")), status_code=400)
    if file_format == "pdf" and pdf.soffice() is None:
        return await _no_pdf(request, user, query)
    context = app_context(request)
    try:
        await charge_export(context.export_allowance, user.id)
    except ExportsUsedUp as limited:
        return _refused(request, user, limited.problem, 429, retry_after(limited))
    name = files.file_name(query.period, query.agency_code, kind[0], detail)
    headers = {**DOWNLOAD_HEADERS, "Content-Disposition": download_name(name)}
    actor = Actor("staff", str(user.id))
    if detail:
        await files.record_export(actor, query.period, query.agency_code, file_format, detail)
        lines = line_list.lines(query.period, query.agency_code, context.reference.agencies,
                                translator(request), file_format)
        return StreamingResponse(_encoded(lines), media_type=kind[1], headers=headers)
    try:
        async with context.pdf_queue.turn() if file_format == "pdf" else nullcontext():
            await files.record_export(actor, query.period, query.agency_code, file_format,
                                      detail)
            body = await files.report_file(
                query.period, query.agency_code, context.reference, translator(request),
                file_format, dt.datetime.now(VIETNAM).date(), await files.latest_checkpoint_note())
    except pdf.Busy as busy:
        return _refused(request, user, busy_problem(busy), 503,
                        {"Retry-After": str(RETRY_SECONDS)})
    except pdf.Unavailable:
        return await _no_pdf(request, user, query)
    return Response(body, media_type=kind[1], headers=headers)


def _refused(request: Request, user: StaffUser, problem: Problem, status_code: int,
             headers: dict[str, str]) -> Response:
    """A download refused for now, said on a page that costs nothing to make: a burst of
    refusals must not count the period and draw the charts once each."""
    back = {key: value[:50] for key, value in request.query_params.items()
            if key in ("period", "from", "to", "agency")}
    return render(request, "staff/export_refused.html",
                  {"user": user, "problem": problem, "back": back}, status_code=status_code,
                  headers={"Cache-Control": "private, no-store", **headers})


def busy_problem(busy: pdf.Busy) -> Problem:
    """What a refused PDF is told: the queue's limits when it was full."""
    if isinstance(busy, QueueFull):
        return busy.problem
    return Problem(N_("Too many PDFs are being made right now: try again in a minute, or "
                      "download the XLSX, which prints the same."))


async def _no_pdf(request: Request, user: StaffUser, query: StatsQuery) -> Response:
    return await _render_stats(request, user, query, Problem(N_(
        "The PDF cannot be made on this server (LibreOffice is not installed): download "
        "the XLSX, which prints the same.")), status_code=503)


async def _encoded(lines: AsyncIterator[str]) -> AsyncIterator[bytes]:
    async for line in lines:
        yield line.encode("utf-8")
