"""Frozen blocks: each whole quarter, half and year of frozen months, and each ended window of
the plans' reports, is added up once, a report reads the largest blocks its months allow, and
it still says what a count of the cases says after later changes to their cases — on both
databases."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from tests.helpers import VALID_REPORT, post_report
from tests.workflows.figures.test_frozen_months import assert_report_tells_the_truth, at, today
from workflows.cases.demo import DemoOptions, insert_demo_cases
from workflows.cases.models import Case
from workflows.figures.blocks import blocks_of, blocks_to_make, make_block, months_of
from workflows.figures.freezer import MonthFreezer
from workflows.figures.frozen import covering_ids, forget_frozen_months, freeze
from workflows.figures.models import FrozenFigure, FrozenMonth
from workflows.reference.reporting import Period, ReportingCalendar, date_range


def last_year(calendar: ReportingCalendar) -> Period:
    return blocks_of(calendar.month(today()), calendar)[0].previous()


async def block_id(period: Period) -> int:
    return await FrozenMonth.get(first_day=period.first_day, last_day=period.last_day,
                                 months__gt=1).values_list("id", flat=True)


@pytest.fixture
def config_dir(request: pytest.FixtureRequest, config_dir: Path) -> Path:
    """The test's copy of config/ (tests/conftest.py), with another reporting calendar when a
    test asks for one: (cut-off day, the reporting year's last month)."""
    if hasattr(request, "param"):
        cutoff, year_end = request.param
        path = config_dir / "reporting.toml"
        text = re.sub(r"(?m)^cutoff_day = \d+", f"cutoff_day = {cutoff}",
                      path.read_text(encoding="utf-8"))
        text = re.sub(r"(?m)^year_end_month = \d+", f"year_end_month = {year_end}", text)
        path.write_text(text, encoding="utf-8")
    return config_dir


@pytest.fixture
async def three_years(app, client):
    """Three years of demonstration cases and two reports placed in last year's fifth month,
    every ended month frozen and every whole quarter, half, year and report window added up,
    as `intake demo` leaves them."""
    calendar = app.state.intake.reference.calendar
    fifth = months_of(last_year(calendar), calendar)[4]
    for brand in ("Nike", "Adidas"):
        await post_report(client, {**VALID_REPORT, "brand": brand, "shop_name": f"Sạp {brand}"})
    placed = await Case.all().order_by("id")
    for case in placed:
        await Case.filter(id=case.id).update(created_at=at(fifth.first_day + dt.timedelta(3)))
    await insert_demo_cases(app.state.intake.reference, DemoOptions(400, seed=5, years=3))
    return placed


@pytest.mark.parametrize("config_dir", [(14, 12), (0, 6)], indirect=True)
async def test_each_whole_quarter_half_and_year_is_added_up_once(app, three_years):
    """With the shipped calendar (months to the 14th, years of calendar months) and with
    calendar months in years ending in June."""
    calendar = app.state.intake.reference.calendar
    assert (calendar.cutoff_day, calendar.year_end_month) in ((14, 12), (0, 6))
    year = last_year(calendar)
    assert await blocks_to_make(calendar) == []
    kept = {(first, last): count for first, last, count in
            await FrozenMonth.filter(months__gt=1).values_list("first_day", "last_day", "months")}
    # The year's halves and quarters (with a year ending in June, H2 and Q3–Q4 come first).
    halves = list(dict.fromkeys(blocks_of(month, calendar)[1]
                                for month in months_of(year, calendar)))
    quarters = list(dict.fromkeys(blocks_of(month, calendar)[2]
                                  for month in months_of(year, calendar)))
    assert kept[(year.first_day, year.last_day)] == 12
    assert [kept[(half.first_day, half.last_day)] for half in halves] == [6, 6]
    assert [kept[(quarter.first_day, quarter.last_day)] for quarter in quarters] == [3] * 4
    # The plans' reports whose windows are whole reporting months: with the shipped calendar
    # the yearly report's 15 December to 14 November (the six-month report's is the first
    # half); with calendar months, none.
    windows = {(window.first_day, window.last_day): window for window in (
        calendar.named(code, int(year.label)) for code in calendar.reports)}
    yearly = calendar.named("bao-cao-nam", int(year.label))
    if calendar.cutoff_day == 14:
        assert kept[(yearly.first_day, yearly.last_day)] == 11
    else:
        assert not set(windows) & set(kept)
    # The freezer finds nothing more to do, and making a block again makes nothing.
    assert await MonthFreezer(calendar).run_once() == 0
    assert not await make_block(year, calendar, dt.datetime.now(dt.UTC))
    assert await FrozenMonth.filter(months__gt=1).count() == len(kept)

    now = dt.datetime.now(dt.UTC)
    months = months_of(year, calendar)
    assert await covering_ids(months, now) == [await block_id(year)]
    assert await covering_ids(months[3:], now) == [await block_id(quarters[1]),
                                                  await block_id(halves[1])]
    assert await covering_ids(months[1:4], now) == await FrozenMonth.filter(
        first_day__in=[month.first_day for month in months[1:4]], months=1).order_by(
        "first_day").values_list("id", flat=True)
    if calendar.cutoff_day == 14:
        assert await covering_ids(months_of(yearly, calendar), now) == [await block_id(yearly)]
    for period in (year, halves[1], quarters[2], calendar.month(today()).previous(),
                   blocks_of(calendar.month(today()), calendar)[0],
                   date_range(quarters[3].first_day, today()),
                   date_range(year.first_day + dt.timedelta(days=40), today()),
                   *windows.values()):
        await assert_report_tells_the_truth(period, calendar)
        await assert_report_tells_the_truth(period, calendar, agency="qltt")


async def test_changes_to_a_blocked_months_cases_are_corrected_in_its_blocks(
        app, three_years, people, act):
    calendar = app.state.intake.reference.calendar
    year = last_year(calendar)
    quarter = calendar.period(f"{year.label}-Q2")
    periods = (year, calendar.period(f"{year.label}-H1"), quarter,
               calendar.named("bao-cao-nam", int(year.label)),
               date_range(quarter.first_day, today()))
    frozen = await FrozenFigure.filter(correction=False).values_list("id", "n")
    moved, rejected = three_years

    await act(moved, people["officer"], "transfer", agency_code="khcn",
              reason="Hàng kém chất lượng, không phải hàng giả.")
    await act(rejected, people["officer"], "reject", reason="Phản ánh trùng lặp.")
    for period in periods:
        await assert_report_tells_the_truth(period, calendar)
        await assert_report_tells_the_truth(period, calendar, agency="khcn")
        await assert_report_tells_the_truth(period, calendar, agency="qltt")
    # The frozen rows never move; the month, its quarter, half and year and the yearly
    # report's window each got corrected.
    assert await FrozenFigure.filter(correction=False).values_list("id", "n") == frozen
    holding = [await block_id(period) for period in periods[:4]]
    corrected = set(await FrozenFigure.filter(correction=True).values_list("month_id", flat=True))
    assert len(corrected) == 5 and set(holding) < corrected


async def test_a_block_waits_for_every_one_of_its_months(app, three_years):
    calendar = app.state.intake.reference.calendar
    year = last_year(calendar)
    months = months_of(year, calendar)
    now = dt.datetime.now(dt.UTC)
    await forget_frozen_months()
    for month in months[:7] + months[8:]:
        await freeze(month, now)
    waiting = {(block.first_day, block.last_day) for block in await blocks_to_make(calendar)}
    q1, q3 = calendar.period(f"{year.label}-Q1"), calendar.period(f"{year.label}-Q3")
    assert (q1.first_day, q1.last_day) in waiting and (q3.first_day, q3.last_day) not in waiting
    assert (year.first_day, year.last_day) not in waiting
    assert not await make_block(q3, calendar, now) and not await make_block(year, calendar, now)
    assert not await FrozenMonth.filter(first_day=q3.first_day, months__gt=1).exists()

    await freeze(months[7], now)
    waiting = {(block.first_day, block.last_day) for block in await blocks_to_make(calendar)}
    assert {(q3.first_day, q3.last_day), (year.first_day, year.last_day)} <= waiting
    assert await make_block(year, calendar, now)
    assert await covering_ids(months, now) == [await block_id(year)]
    await assert_report_tells_the_truth(year, calendar)


async def test_a_block_is_made_of_its_own_months_not_another_cut_off_days(app, client):
    """A worker not yet restarted on a changed cut-off day may freeze that calendar's months
    meanwhile: as many months inside the block, but not its days (29–31 December missing)."""
    at_28 = dataclasses.replace(app.state.intake.reference.calendar, cutoff_day=28)
    calendar_months = dataclasses.replace(at_28, cutoff_day=0)
    quarter = at_28.period("2025-Q1")
    assert (quarter.first_day, quarter.last_day) == (dt.date(2024, 12, 29), dt.date(2025, 3, 28))
    for day in (dt.date(2024, 12, 30), dt.date(2025, 1, 15), dt.date(2025, 3, 10)):
        await post_report(client, VALID_REPORT)
        await Case.filter(id=(await Case.all().order_by("-id").first()).id).update(
            created_at=at(day))
    now = dt.datetime.now(dt.UTC)
    for month in (at_28.period("2025-03"), calendar_months.period("2025-01"),
                  calendar_months.period("2025-02")):
        await freeze(month, now)
    assert not await make_block(quarter, at_28, now)
    await assert_report_tells_the_truth(quarter, at_28)


async def test_a_case_received_in_one_block_and_resolved_in_another_is_corrected_in_both(
        app, three_years, people, act):
    calendar = app.state.intake.reference.calendar
    months = months_of(last_year(calendar), calendar)
    case = await Case.filter(created_at__gte=months[0].start, created_at__lt=months[2].end,
                             resolved_at__gte=months[3].start, resolved_at__lt=months[11].end,
                             status="resolved").order_by("id").first()
    assert case is not None
    await act(case, people["officer"], "reopen", reason="Người dân phản ánh tiếp.")
    resolved_in = calendar.month(at(case.resolved_at.date()).date())  # type: ignore[union-attr]
    for period in (last_year(calendar), *blocks_of(months[0], calendar)[1:],
                   *blocks_of(resolved_in, calendar)[1:]):
        await assert_report_tells_the_truth(period, calendar)
        await assert_report_tells_the_truth(period, calendar, agency=case.agency_code)


async def test_two_workers_making_a_block_while_a_case_changes(app, three_years, people, act):
    """One block is made, once; the change is corrected in it or counted in it, not both."""
    calendar = app.state.intake.reference.calendar
    year = last_year(calendar)
    now = dt.datetime.now(dt.UTC)
    await forget_frozen_months()
    for month in months_of(year, calendar):
        await freeze(month, now)
    made = await asyncio.gather(
        make_block(year, calendar, now), make_block(year, calendar, now),
        act(three_years[0], people["officer"], "transfer", agency_code="khcn",
            reason="Hàng kém chất lượng, không phải hàng giả."),
        make_block(calendar.period(f"{year.label}-H1"), calendar, now))
    assert sorted(made[:2]) == [False, True] and made[3]
    assert await FrozenMonth.filter(first_day=year.first_day, months=12).count() == 1
    for period in (year, calendar.period(f"{year.label}-H1")):
        await assert_report_tells_the_truth(period, calendar)
        await assert_report_tells_the_truth(period, calendar, agency="khcn")
