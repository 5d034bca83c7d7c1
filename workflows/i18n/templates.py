"""What every template, page or mail, uses to speak the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from workflows.i18n import formatting
from workflows.i18n.translations import Labelled, Translator


def template_words(translator: Translator, agencies: Iterable[Labelled]) -> dict[str, Any]:
    """`_`, `ngettext`, `tr` (a Problem), `label_of(terms, code)` and `agency_name(code)`."""
    known = list(agencies)
    return {
        "lang": translator.language,
        "_": translator.gettext,
        "ngettext": translator.ngettext,
        "tr": translator.problem,
        "words": translator,
        "label_of": translator.label,
        "agency_name": lambda code: translator.label(known, code),
    }


FILTERS: dict[str, Callable[..., str]] = {
    "date": formatting.format_date,
    "datetime": formatting.format_datetime,
    "vnd": formatting.format_vnd,
}
