"""Frozen months: a report over ended months adds their frozen figures, and a later change to
one of their cases is recorded as a correction, so the report still says what a count of the
cases says — on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import VALID_REPORT, post_report
from workflows.cases.models import Case
from workflows.figures.crosstabs import tables_of
from workflows.figures.frozen import FREEZE_AFTER, period_tallies
from workflows.figures.models import FrozenFigure, FrozenMonth
from workflows.figures.statistics import figures_of
from workflows.figures.tallies import Tallies, count_live
from workflows.i18n.formatting import VIETNAM
from workflows.reference.reporting import Period, ReportingCalendar, date_range


def today() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


def months_back(calendar: ReportingCalendar, count: int) -> Period:
    month = calendar.month(today())
    for _ in range(count):
        month = month.previous()
    return month


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), VIETNAM).astimezone(dt.UTC)


def rows(tallies: Tallies) -> dict[tuple[str, str, str, str], list[int]]:
    return {key: sums for key, sums in tallies.rows.items() if any(sums)}


async def assert_report_tells_the_truth(period: Period, calendar: ReportingCalendar,
                                        agency: str | None = None) -> None:
    served = await period_tallies(period, agency, calendar)
    counted = await count_live(period.start, period.end, agency)
    assert rows(served) == rows(counted)
    assert figures_of(served, period, {}) == figures_of(counted, period, {})
    assert tables_of(served) == tables_of(counted)


@pytest.fixture
async def older_cases(app, client):
    """Four reports filed, then placed two and three months back: two received, one rejected,
    one resolved in its month; and one of this month."""
    calendar = app.state.intake.reference.calendar
    two, three = months_back(calendar, 2), months_back(calendar, 3)
    for brand in ("Nike", "Nike", "Adidas", "Vinamilk", "Nike"):
        await post_report(client, {**VALID_REPORT, "brand": brand, "shop_name": f"Sạp {brand}"})
    a, b, c, d, now_case = await Case.all().order_by("id")
    await Case.filter(id=a.id).update(created_at=at(two.first_day))
    await Case.filter(id=b.id).update(created_at=at(two.last_day, 23))
    await Case.filter(id=c.id).update(created_at=at(three.first_day), status="rejected")
    await Case.filter(id=d.id).update(
        created_at=at(three.first_day + dt.timedelta(days=1)), status="resolved",
        resolved_at=at(three.last_day), outcome="violation_confirmed", fine_vnd=5_000_000,
        seized_quantity=3, seized_value_vnd=900_000)
    return {"a": a, "b": b, "c": c, "d": d, "now": now_case}


async def test_ended_months_are_frozen_once_and_the_report_matches_a_count(app, older_cases):
    calendar = app.state.intake.reference.calendar
    span = date_range(months_back(calendar, 4).first_day + dt.timedelta(days=3), today())
    await assert_report_tells_the_truth(span, calendar)
    frozen = await FrozenMonth.all().count()
    now = dt.datetime.now(dt.UTC)
    ended = [months_back(calendar, back) for back in (1, 2, 3)]
    # The whole months ended a day ago (the last one not yet on its first day); edges live.
    assert frozen == sum(1 for month in ended if month.end + FREEZE_AFTER <= now) >= 2
    await assert_report_tells_the_truth(span, calendar, agency="qltt")
    assert await FrozenMonth.all().count() == frozen  # each month frozen once
    assert not await FrozenFigure.filter(correction=True).exists()


async def test_changes_to_a_frozen_months_cases_become_corrections(app, older_cases, people,
                                                                  act):
    calendar = app.state.intake.reference.calendar
    span = date_range(months_back(calendar, 3).first_day, today())
    await assert_report_tells_the_truth(span, calendar)
    frozen = await FrozenFigure.filter(correction=False).values_list("id", "n")

    await act(older_cases["a"], people["officer"], "transfer", agency_code="khcn",
              reason="Hàng kém chất lượng, không phải hàng giả.")
    await assert_report_tells_the_truth(span, calendar)
    await assert_report_tells_the_truth(span, calendar, agency="khcn")
    await act(older_cases["d"], people["officer"], "reopen", reason="Người dân phản ánh tiếp.")
    await assert_report_tells_the_truth(span, calendar)
    await act(older_cases["b"], people["officer"], "reject", reason="Phản ánh trùng lặp.")
    await assert_report_tells_the_truth(span, calendar)
    # Resolved now: the frozen month it was received in learns it is settled.
    d = await Case.get(id=older_cases["d"].id)
    await act(d, people["lead"], "resolve", outcome="not_confirmed",
              public_outcome="Không phát hiện vi phạm.")
    await assert_report_tells_the_truth(span, calendar)
    await assert_report_tells_the_truth(span, calendar, agency="qltt")

    assert await FrozenFigure.filter(correction=False).values_list("id", "n") == frozen
    assert await FrozenFigure.filter(correction=True).exists()
    # The case filed this month is in no frozen month: acting on it adds no correction.
    corrections = await FrozenFigure.filter(correction=True).count()
    await act(older_cases["now"], people["officer"], "reject", reason="Tin rác.")
    assert await FrozenFigure.filter(correction=True).count() == corrections
    await assert_report_tells_the_truth(span, calendar)


async def test_a_frozen_month_does_not_move_when_its_cases_are_written_behind_its_back(
        app, older_cases):
    calendar = app.state.intake.reference.calendar
    month = months_back(calendar, 2)
    before = figures_of(await period_tallies(month, None, calendar), month, {})
    assert before.received == 2
    await Case.filter(id=older_cases["a"].id).update(category="smuggled", brand="Gucci")
    after = figures_of(await period_tallies(month, None, calendar), month, {})
    assert after == before  # frozen: official figures do not move
    live = figures_of(await count_live(month.start, month.end), month, {})
    assert live.by["category"] != before.by["category"]


async def test_another_cut_off_day_counts_its_own_months(app, older_cases, people, act):
    calendar = app.state.intake.reference.calendar
    other = ReportingCalendar(cutoff_day=14 if not calendar.cutoff_day else 0)
    span = date_range(months_back(calendar, 4).first_day, today())
    await assert_report_tells_the_truth(span, calendar)
    mine = set(await FrozenMonth.all().values_list("first_day", "last_day"))
    await assert_report_tells_the_truth(span, other)
    theirs = set(await FrozenMonth.all().values_list("first_day", "last_day"))
    assert theirs and not mine & theirs  # overlapping months of the first calendar dropped
    # Changes go on being corrected in the months kept, and the first calendar recounts.
    await act(older_cases["a"], people["officer"], "transfer", agency_code="khcn",
              reason="Hàng kém chất lượng, không phải hàng giả.")
    await assert_report_tells_the_truth(span, other)
    await assert_report_tells_the_truth(span, calendar)


async def test_a_month_is_frozen_only_a_day_after_it_ends(app, older_cases):
    calendar = app.state.intake.reference.calendar
    month = months_back(calendar, 1)
    await period_tallies(month, None, calendar, now=month.end + dt.timedelta(hours=23))
    assert not await FrozenMonth.filter(first_day=month.first_day).exists()
    await period_tallies(month, None, calendar, now=month.end + dt.timedelta(days=1))
    assert await FrozenMonth.filter(first_day=month.first_day).exists()


async def test_months_before_the_first_case_and_far_ranges_cost_nothing_to_freeze(
        app, older_cases):
    calendar = app.state.intake.reference.calendar
    everything = date_range(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    await assert_report_tells_the_truth(everything, calendar)
    assert await FrozenMonth.all().count() <= 4  # the months since the first case only


async def test_the_server_freezes_ended_months_before_anyone_asks(app, older_cases):
    """The freezer every worker runs freezes each ended month, one per round, once; a report
    asked after it finds every ended month frozen and freezes nothing on the spot."""
    from workflows.figures.freezer import MonthFreezer, months_to_freeze

    calendar = app.state.intake.reference.calendar
    now = dt.datetime.now(dt.UTC)
    waiting = await months_to_freeze(calendar, now)
    assert len(waiting) >= 2 and not await FrozenMonth.exists()
    freezer = MonthFreezer(calendar)
    assert [await freezer.run_once() for _ in waiting] == [1] * len(waiting)
    assert await freezer.run_once() == 0  # nothing left: it sleeps until the next poll
    frozen = {(month.first_day, month.last_day) for month in waiting}
    assert set(await FrozenMonth.all().values_list("first_day", "last_day")) == frozen
    assert await months_to_freeze(calendar, now) == []
    stamps = set(await FrozenMonth.all().values_list("id", "frozen_at"))
    span = date_range(months_back(calendar, 4).first_day, today())
    await assert_report_tells_the_truth(span, calendar)
    assert set(await FrozenMonth.all().values_list("id", "frozen_at")) == stamps


async def test_demo_data_is_frozen_as_it_is_written(app):
    """`intake demo` writes into past months and freezes them, so that the first yearly
    report counts no month on the spot (and still tells the truth)."""
    from workflows.cases.demo import DemoOptions, insert_demo_cases
    from workflows.figures.freezer import months_to_freeze

    reference = app.state.intake.reference
    await insert_demo_cases(reference, DemoOptions(300, seed=3))
    now = dt.datetime.now(dt.UTC)
    assert await FrozenMonth.all().count() >= 20
    assert await months_to_freeze(reference.calendar, now) == []
    stamps = set(await FrozenMonth.all().values_list("id", "frozen_at"))
    await assert_report_tells_the_truth(reference.calendar.named("bao-cao-nam", today().year),
                                        reference.calendar)
    assert set(await FrozenMonth.all().values_list("id", "frozen_at")) == stamps
