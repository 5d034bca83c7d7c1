"""A report as it is filed: its fields' checked values (workflows.cases.report_fields), and
how it came."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflows.cases.report_fields import labels

# The report's fields as the forms and error summaries name them.
REPORT_LABELS: Mapping[str, str] = labels()


@dataclass(frozen=True)
class ReportDraft:
    """A validated report, as the forms layer hands it over: every field's value by name,
    which the case stores as it is. The few the domain reads by name are typed below."""

    values: Mapping[str, Any]
    language: str = "vi"
    intake_channel: str = "web"
    # What an Open311 client sent that has no field here, shown to staff only.
    extra_attributes: dict[str, str] | None = None

    def _text(self, name: str) -> str:
        return str(self.values.get(name) or "")

    @property
    def category(self) -> str:
        return self._text("category")

    @property
    def product_group(self) -> str:
        return self._text("product_group")

    @property
    def sales_channel(self) -> str:
        return self._text("sales_channel")

    @property
    def product_name(self) -> str:
        return self._text("product_name")

    @property
    def brand(self) -> str:
        return self._text("brand")

    @property
    def barcode(self) -> str:
        return self._text("barcode")

    @property
    def shop_name(self) -> str:
        return self._text("shop_name")

    @property
    def commune(self) -> str:
        return self._text("commune")

    @property
    def online_url(self) -> str:
        return self._text("online_url")

    @property
    def description(self) -> str:
        return self._text("description")

    @property
    def reporter_email(self) -> str:
        return self._text("reporter_email")

    @property
    def consent(self) -> bool:
        return bool(self.values.get("consent"))
