"""Dates in Vietnam time as dd/mm/yyyy, amounts as 1.234.567 ₫, numbers grouped as the reader
writes them. Times are stored in UTC and shown in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(VIETNAM).date()
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def format_number(value: float | int | None, language: str = "vi") -> str:
    """Thousands grouped as the reader writes them (1.234,5 in Vietnamese, 1,234.5 in English)."""
    if value is None:
        return ""
    return format_decimal(value, locale="en" if language == "en" else "vi")


def format_vnd(amount: int | None, language: str = "vi") -> str:
    if amount is None:
        return ""
    return f"{format_number(amount, language)} ₫"
