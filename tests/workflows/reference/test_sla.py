from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workflows.i18n.formatting import VIETNAM
from workflows.reference.sla import load_service_levels
from workflows.reference.tomlfile import ConfigError


def levels(tmp_path: Path, sla: str, holidays: str = "holidays = []\n"):
    (tmp_path / "sla.toml").write_text(sla, encoding="utf-8")
    (tmp_path / "holidays.toml").write_text(holidays, encoding="utf-8")
    return load_service_levels(tmp_path / "sla.toml", tmp_path / "holidays.toml",
                               {"qltt", "khcn", "bvntd"})


def test_an_agency_may_have_its_own_resolution_times(tmp_path):
    service = levels(tmp_path, "default_working_days = 15\ntriage_working_days = 1\n"
                     "[working_days]\nfood_safety = 7\n"
                     "[agencies.khcn]\ndefault_working_days = 20\n"
                     "[agencies.khcn.working_days]\nlabelling = 25\n")
    assert service.resolution_days("labelling", "khcn") == 25
    assert service.resolution_days("counterfeit", "khcn") == 20
    assert service.resolution_days("food_safety", "khcn") == 7  # a general category line wins
    assert service.resolution_days("labelling", "qltt") == 15
    assert service.resolution_days("labelling", None) == 15
    monday = dt.datetime(2026, 11, 16, 3, 0, tzinfo=dt.UTC)
    assert service.triage_due_at(monday).astimezone(VIETNAM).date() == dt.date(2026, 11, 17)
    # 24 November is Vietnam Culture Day, a day off since 2026.
    monday = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
    assert service.triage_due_at(monday).astimezone(VIETNAM).date() == dt.date(2026, 11, 25)


def test_due_dates_skip_weekends_and_holidays_in_vietnam_time(tmp_path):
    service = levels(tmp_path, "default_working_days = 3\n[working_days]\nfood_safety = 1\n",
                     "holidays = [2026-09-01, 2026-09-02]\n")
    # Friday 28 August 2026, 23:30 in Vietnam is still Friday there (16:30 UTC).
    friday_night = dt.datetime(2026, 8, 28, 16, 30, tzinfo=dt.UTC)
    due = service.due_at("counterfeit", friday_night)
    # Mon 31 Aug is the day off the government swapped for Sat 22 Aug (in the holidays
    # package's calendar), Tue 1 and Wed 2 Sep are National Day: Thu 3, Fri 4, Mon 7 Sep.
    assert due.astimezone(VIETNAM) == dt.datetime(2026, 9, 7, 23, 59, 59, tzinfo=VIETNAM)
    assert due.tzinfo == dt.UTC
    assert service.due_at("food_safety", friday_night).astimezone(VIETNAM).date() == dt.date(2026, 9, 3)


@pytest.mark.parametrize(("received", "days", "due"), [
    # Tết 2027: Thu 4 to Wed 10 February (the lunar new year falls on Sat 6 February).
    (dt.date(2027, 2, 3), 1, dt.date(2027, 2, 11)),
    (dt.date(2027, 1, 29), 5, dt.date(2027, 2, 12)),
    # Tết 2028: Mon 24 to Sat 29 January; the Hùng Kings' day is Tue 4 April 2028.
    (dt.date(2028, 1, 21), 1, dt.date(2028, 1, 31)),
    (dt.date(2028, 4, 3), 1, dt.date(2028, 4, 5)),
    # New Year 2028 falls on a Saturday: Monday 3 January is the day off in lieu.
    (dt.date(2027, 12, 31), 1, dt.date(2028, 1, 4)),
])
def test_due_dates_know_tet_and_the_lunar_holidays_of_years_nobody_typed(tmp_path, received,
                                                                         days, due):
    service = levels(tmp_path, f"default_working_days = {days}\n")
    noon = dt.datetime.combine(received, dt.time(12), tzinfo=VIETNAM)
    assert service.due_at("counterfeit", noon).astimezone(VIETNAM).date() == due


def test_a_swapped_weekend_day_counts_and_an_extra_day_off_does_not(tmp_path):
    service = levels(tmp_path, "default_working_days = 1\n",
                     "holidays = [2027-03-08]\nworking_weekend_days = [2027-03-06]\n")
    friday = dt.datetime(2027, 3, 5, 12, tzinfo=VIETNAM)
    assert service.due_at("counterfeit", friday).astimezone(VIETNAM).date() == dt.date(2027, 3, 6)
    saturday = dt.datetime(2027, 3, 6, 12, tzinfo=VIETNAM)
    assert service.due_at("counterfeit", saturday).astimezone(VIETNAM).date() == dt.date(2027, 3, 9)
    with pytest.raises(ConfigError, match="2027-03-08 is not a Saturday or Sunday"):
        levels(tmp_path, "default_working_days = 1\n", "working_weekend_days = [2027-03-08]\n")


def test_a_report_after_midnight_in_vietnam_counts_from_that_day(tmp_path):
    service = levels(tmp_path, "default_working_days = 1\n")
    # 17:30 UTC on Monday is 00:30 on Tuesday in Vietnam: due Wednesday.
    due = service.due_at("counterfeit", dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC))
    assert due.astimezone(VIETNAM).date() == dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("sla", "holidays", "message"),
    [
        ("default_working_days = 0\n", "holidays = []\n", "default_working_days must be"),
        ("default_working_days = 5\n[working_days]\nfakes = 3\n", "holidays = []\n",
         "line 3: unknown category 'fakes'"),
        ("default_working_days = 5\n", 'holidays = ["2 September"]\n', "holidays must be a list"),
        ("default_working_days = 5\n[agencies.nowhere]\ndefault_working_days = 3\n",
         "holidays = []\n", "unknown agency 'nowhere'"),
        ("default_working_days = 5\ntriage_working_days = -1\n", "holidays = []\n",
         "line 2: triage_working_days must be"),
    ],
)
def test_broken_sla_files_fail_with_a_clear_message(tmp_path, sla, holidays, message):
    with pytest.raises(ConfigError, match=message):
        levels(tmp_path, sla, holidays)


def test_working_days_between_and_added_skip_weekends_and_holidays(tmp_path):
    service = levels(tmp_path, "default_working_days = 3\n", "holidays = [2026-10-14]\n")
    friday = dt.datetime(2026, 10, 9, 3, 0, tzinfo=dt.UTC)
    thursday = dt.datetime(2026, 10, 15, 3, 0, tzinfo=dt.UTC)
    # Mon 12, Tue 13, (Wed 14 is an extra day off), Thu 15.
    assert service.working_days_between(friday, thursday) == 3
    assert service.working_days_between(thursday, friday) == 0
    moved = service.add_working_days(friday, 3)
    assert moved.astimezone(VIETNAM).date() == dt.date(2026, 10, 15)
