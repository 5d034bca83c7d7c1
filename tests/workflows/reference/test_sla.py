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
    monday = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
    assert service.triage_due_at(monday).astimezone(VIETNAM).date() == dt.date(2026, 11, 24)


def test_due_dates_skip_weekends_and_holidays_in_vietnam_time(tmp_path):
    service = levels(tmp_path, "default_working_days = 3\n[working_days]\nfood_safety = 1\n",
                     "holidays = [2026-09-01, 2026-09-02]\n")
    # Friday 28 August 2026, 23:30 in Vietnam is still Friday there (16:30 UTC).
    friday_night = dt.datetime(2026, 8, 28, 16, 30, tzinfo=dt.UTC)
    due = service.due_at("counterfeit", friday_night)
    # Mon 31 Aug, (Tue 1 and Wed 2 Sep are holidays), Thu 3, Fri 4 Sep.
    assert due.astimezone(VIETNAM) == dt.datetime(2026, 9, 4, 23, 59, 59, tzinfo=VIETNAM)
    assert due.tzinfo == dt.UTC
    assert service.due_at("food_safety", friday_night).astimezone(VIETNAM).date() == dt.date(2026, 8, 31)


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
    service = levels(tmp_path, "default_working_days = 3\n", "holidays = [2026-09-02]\n")
    friday = dt.datetime(2026, 8, 28, 3, 0, tzinfo=dt.UTC)
    thursday = dt.datetime(2026, 9, 3, 3, 0, tzinfo=dt.UTC)
    # Mon 31, Tue 1, (Wed 2 is a holiday), Thu 3.
    assert service.working_days_between(friday, thursday) == 3
    assert service.working_days_between(thursday, friday) == 0
    moved = service.add_working_days(friday, 3)
    assert moved.astimezone(VIETNAM).date() == dt.date(2026, 9, 3)
