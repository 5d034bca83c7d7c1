"""Figures frozen once published. Times are stored in UTC."""

# Class docstrings become table comments in migrations; see workflows/cases/models/case.py.

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class PublishedMonth(Model):
    """A reporting month's open-data figures, frozen when published: official figures do not
    move afterwards, and the public pages read them without counting cases again."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    label = fields.CharField(max_length=16, unique=True)
    first_day = fields.DateField()
    last_day = fields.DateField()
    published_at = fields.DatetimeField()
    # [{"breakdown", "code", "received", "resolved", "resolved_in_time"}, …]
    rows: Any = fields.JSONField()

    class Meta:
        table = "published_month"


class FrozenMonth(Model):
    """A reporting month whose report figures were counted once it had ended, and frozen: a
    year's report adds twelve of these instead of counting a year of cases again. Matched to
    the calendar by its days, so a changed cut-off day never reuses another month's figures."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    first_day = fields.DateField()
    last_day = fields.DateField()
    frozen_at = fields.DatetimeField()
    # 1: a month, counted from its cases. More: a whole quarter, half or year of frozen months,
    # or a report's window, their figures added up once (a block), so that a year's report
    # reads fewer rows.
    months = fields.SmallIntField(default=1, db_default=1)

    class Meta:
        table = "frozen_month"
        unique_together = (("first_day", "last_day"),)


class FrozenFigure(Model):
    """One count of a frozen month (see workflows.figures.tallies): a measure, the agency, one
    or two keys, the cases and their sums. A later change to one of the month's cases adds
    rows marked `correction` (minus what the case counted for, plus what it counts for now),
    so the frozen figures never move and the report still tells the truth."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    month: fields.ForeignKeyRelation[FrozenMonth] = fields.ForeignKeyField(
        "models.FrozenMonth", related_name="figures", on_delete=fields.CASCADE)
    measure = fields.CharField(max_length=24)
    agency = fields.CharField(max_length=16)
    key1 = fields.CharField(max_length=200)
    key2 = fields.CharField(max_length=200)
    name = fields.CharField(max_length=200)  # a shop's name as reported (the greatest)
    n = fields.BigIntField()
    fines = fields.BigIntField()
    quantity = fields.BigIntField()
    value = fields.BigIntField()
    correction = fields.BooleanField()
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "frozen_figure"
        indexes = (("month_id", "measure"),)
