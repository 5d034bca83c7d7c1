"""What every template, page or mail, uses to speak the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import jinja2

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
    # In the reader's grouping, like the page's other numbers: 1.234.567 ₫, 1,234,567 ₫.
    "vnd": jinja2.pass_context(lambda context, amount: formatting.format_vnd(
        amount, context.get("lang", "vi"))),
}
