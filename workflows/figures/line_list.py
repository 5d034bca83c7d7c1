"""The line list: one row per case received in a period, for analysts. Streamed in keyset
batches along the created_at index, so memory stays flat and a month of a large database
reads only that month. No reporter data and no description is ever written."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Callable, Iterable

from tortoise import fields
from tortoise.expressions import Q, RawSQL

from workflows.cases.models import Case
from workflows.cases.report_fields import FIELDS
from workflows.figures.neutral import csv_text, neutralise
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_
from workflows.i18n.translations import Labelled, Translator
from workflows.reference import catalog
from workflows.reference.agencies import Agency
from workflows.reference.reporting import Period

# The case's own columns around the report's fields that the line list carries (their
# declarations say which: workflows.cases.report_fields, `export`).
COLUMNS = (
    ("tracking_code", N_("Tracking code")), ("created_at", N_("Received on")),
    ("intake_channel", N_("How it was received")),
    *((field.name, field.label) for field in FIELDS if field.export),
    ("agency_code", N_("Agency")), ("status", N_("Status")),
    ("due_at", N_("Due date")), ("resolved_at", N_("Resolved on")), ("outcome", N_("Outcome")),
    ("fine_vnd", N_("Fine (đồng)")), ("seized_quantity", N_("Kinds of goods seized")),
    ("seized_value_vnd", N_("Seized goods value (đồng)")),
)
BATCH = 2000
# The columns holding a moment: written in Vietnam time.
MOMENTS = tuple(name for name, _ in COLUMNS
                if isinstance(Case._meta.fields_map[name], fields.DatetimeField))
# Columns written as their label in the reader's language rather than their code.
LABELLED = {"intake_channel": catalog.INTAKE_CHANNELS, "status": catalog.STATUSES,
            "outcome": catalog.OUTCOMES,
            **{field.name: field.terms for field in FIELDS if field.export and field.terms}}


def header(words: Translator) -> list[str]:
    return [words.gettext(title) for _, title in COLUMNS]


Cell = Callable[[object], object]


def _when(value: object) -> object:
    """A moment in Vietnam time. SQLite's text is read here (fromisoformat), not by the ORM:
    its parser took a third of the time of a million rows."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # stored without an offset: UTC, as the ORM reads it
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    return ""


def _labels(terms: Iterable[Labelled], words: Translator, default: str) -> Cell:
    """A code as its label, looked up in a table made once per file."""
    table = {term.code: words.label([term], term.code) for term in terms}

    def label(value: object) -> object:
        return table.get(str(value), str(value)) if value else default
    return label


def _plain(value: object) -> object:
    return neutralise(value) if value is not None else ""


def _cells(agencies: dict[str, Agency], words: Translator) -> list[Cell]:
    """How each column's value is written, in COLUMNS' order."""
    awaiting = words.gettext(N_("Awaiting triage"))
    return [_when if name in MOMENTS else _labels(LABELLED[name], words, "")
            if name in LABELLED else _labels(agencies.values(), words, awaiting)
            if name == "agency_code" else _plain for name, _ in COLUMNS]


async def rows(period: Period, agency_code: str | None, agencies: dict[str, Agency],
               words: Translator) -> AsyncIterator[list[object]]:
    """One row per case received in the period, oldest first."""
    scope = Case.filter(created_at__gte=period.start, created_at__lt=period.end)
    if agency_code:
        scope = scope.filter(agency_code=agency_code)
    # The moments as the database holds them, each read once by _when.
    scope = scope.annotate(**{f"{name}_held": RawSQL(f'"{name}"') for name in MOMENTS})
    columns = [f"{name}_held" if name in MOMENTS else name for name, _ in COLUMNS]
    cells = _cells(agencies, words)
    batch = await (scope.order_by("created_at", "id").limit(BATCH).values_list("id", *columns))
    while batch:
        for row in batch:
            yield [cell(value) for cell, value in zip(cells, row[1:], strict=True)]
        last_id, held = batch[-1][0], batch[-1][1 + columns.index("created_at_held")]
        last_created = dt.datetime.fromisoformat(held) if isinstance(held, str) else held
        batch = await (scope.filter(created_at__gte=last_created)
                       .filter(Q(created_at__gt=last_created) | Q(id__gt=last_id))
                       .order_by("created_at", "id").limit(BATCH)
                       .values_list("id", *columns))


async def lines(period: Period, agency_code: str | None, agencies: dict[str, Agency],
                words: Translator, file_format: str) -> AsyncIterator[str]:
    """The line list as text lines: CSV (a BOM and a header first) or JSON lines."""
    names = header(words)
    if file_format == "csv":
        yield "\ufeff" + csv_text([names])
    async for row in rows(period, agency_code, agencies, words):
        if file_format == "csv":
            yield csv_text([row])
        else:
            yield json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"

