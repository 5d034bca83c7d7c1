"""The published months as people read them: the open-data page's tables, and the files at
stable URLs (CSV with a BOM, JSON), each name in Vietnamese and in English. Aggregates only."""

from __future__ import annotations

import json
from typing import Any

from workflows.cases.sealing import COMPETENT_AUTHORITY, police_codes
from workflows.figures.neutral import csv_text
from workflows.figures.open_data import MonthFigures
from workflows.i18n.messages import N_
from workflows.i18n.translations import Labelled, Translator
from workflows.reference import catalog
from workflows.reference.loading import ReferenceData

COLUMNS = ("month", "first_day", "last_day", "breakdown", "code", "name_vi", "name_en",
           "received", "resolved", "resolved_in_time", "on_time_share")
DESCRIPTION = ("Citizens' reports of counterfeit, smuggled and substandard goods, per reporting "
               "month, by category, product group and agency; and (breakdown 'campaign') the "
               "suggestions and recommendations of Vietnamese goods sent to the campaign. "
               "Published months only; no personal data.")
AUTHORITY_CODE = "competent_authority"
TERMS: dict[str, tuple[catalog.Term, ...]] = {"category": catalog.CATEGORIES,
                                              "product_group": catalog.PRODUCT_GROUPS,
                                              "campaign": catalog.CAMPAIGN_KINDS}


def share(resolved: int, in_time: int) -> float | None:
    return round(in_time / resolved, 4) if resolved else None


def _shown_code(reference: ReferenceData, breakdown: str, code: str) -> str:
    """The police are published as "the competent authority", never by name: a count of the
    cases with them, by month and commune, would tell a seller which one is theirs
    (workflows.cases.sealing)."""
    if breakdown == "agency" and code in police_codes(reference.agencies):
        return AUTHORITY_CODE
    return code


def _name(reference: ReferenceData, words: Translator, breakdown: str, code: str) -> str:
    if breakdown == "commune":  # its own name; online sales have none
        return code or words.gettext(N_("No commune or ward (online, or not given)"))
    if breakdown == "agency" and code == AUTHORITY_CODE:
        return words.gettext(COMPETENT_AUTHORITY.label)
    terms: list[Labelled] = (list(reference.agencies.values()) if breakdown == "agency"
                             else list(TERMS[breakdown]))
    return words.label(terms, code, words.gettext(N_("Awaiting triage")))


def records(months: list[MonthFigures], reference: ReferenceData) -> list[dict[str, Any]]:
    vi, en = reference.translator("vi"), reference.translator("en")
    found = []
    for month in months:
        for row in month.rows:
            breakdown = str(row["breakdown"])
            code = _shown_code(reference, breakdown, str(row["code"]))
            resolved, in_time = int(str(row["resolved"])), int(str(row["resolved_in_time"]))
            found.append({"month": month.label, "first_day": month.first_day.isoformat(),
                          "last_day": month.last_day.isoformat(), "breakdown": breakdown,
                          "code": code, "name_vi": _name(reference, vi, breakdown, code),
                          "name_en": _name(reference, en, breakdown, code),
                          "received": row["received"], "resolved": resolved,
                          "resolved_in_time": in_time, "on_time_share": share(resolved, in_time)})
    return found


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    table = [list(COLUMNS), *([row[column] for column in COLUMNS] for row in rows)]
    return ("\ufeff" + csv_text(table)).encode("utf-8")


def to_json(rows: list[dict[str, Any]]) -> bytes:
    document = {"description": DESCRIPTION, "columns": list(COLUMNS), "records": rows}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def tables(month: MonthFigures, reference: ReferenceData,
           words: Translator) -> dict[str, list[tuple[str, object, object, float | None]]]:
    """The latest month by category, product group, agency and commune: name, received, resolved,
    share resolved in time, biggest first."""
    shown = {}
    for breakdown in ("category", "product_group", "agency", "commune", "campaign"):
        rows = sorted((row for row in month.rows if row["breakdown"] == breakdown),
                      key=lambda row: -int(str(row["received"])))
        shown[breakdown] = [
            (_name(reference, words, breakdown, _shown_code(reference, breakdown,
                                                            str(row["code"]))), row["received"],
             row["resolved"], share(int(str(row["resolved"])), int(str(row["resolved_in_time"]))))
            for row in rows]
    return shown


def history(months: list[MonthFigures]) -> list[tuple[MonthFigures, int, int, float | None]]:
    return [(month, month.total("received"), month.total("resolved"),
             share(month.total("resolved"), month.total("resolved_in_time"))) for month in months]
