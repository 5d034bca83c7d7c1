"""Jinja2 pages: autoescaped, with the visitor's language, formatters and the CSRF token."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from intake.context import app_context, translator
from intake.middleware.csrf import CSRF_FIELD, csrf_token
from workflows.cases import deadlines
from workflows.cases.draft import REPORT_LABELS
from workflows.cases.report_fields import FIELDS, SECTIONS, section_fields, template_facts
from workflows.cases.states import CLOSED_STATES
from workflows.cases.tracking import format_pin, format_tracking_code
from workflows.i18n import formatting
from workflows.i18n.paths import TEMPLATES_DIR
from workflows.i18n.templates import FILTERS, template_words
from workflows.parties.references import format_reference
from workflows.reference import catalog
from workflows.reference.boundaries import Boundaries
from workflows.reference.reporting import month_title, period_span, period_title
from workflows.warnings.drafting import may_draft

REPORT_SECTIONS = [(section, section_fields(section)) for section in SECTIONS]
REPORT_POSITION = [field for field in FIELDS if field.kind in ("latitude", "longitude")]


def map_config(tiles: str, attribution: str, boundaries: Boundaries | None) -> str | None:
    """The JSON a page's maps start from: the tiles, their credit, and where to centre
    (the configured communes' middle, else Vietnam)."""
    if not tiles:
        return None
    centres = list(boundaries.centres.values()) if boundaries else []
    centre = ([sum(lat for lat, _ in centres) / len(centres),
               sum(lon for _, lon in centres) / len(centres)] if centres else [16.0, 107.5])
    return json.dumps({"tiles": tiles, "attribution": attribution, "centre": centre,
                       "zoom": 12 if centres else 5})


def _page_context(request: Request) -> dict[str, Any]:
    context = app_context(request)
    words = translator(request)
    return {
        **template_words(words, context.reference.agencies.values()),
        "csrf_field": CSRF_FIELD,
        "csrf_token": lambda: csrf_token(request, context.settings.secret_key),
        "catalog": catalog,
        "reference": context.reference,
        "service": context.reference.identity,  # who runs it: every page's header and footer
        "labels": {name: words.gettext(label) for name, label in REPORT_LABELS.items()},
        # The report form's sections and fields, and the map's pair of coordinates.
        "report_sections": REPORT_SECTIONS, "report_position": REPORT_POSITION,
        **template_facts(words),
        "now": dt.datetime.now(dt.UTC),  # for "overdue" marks
        "closed_states": CLOSED_STATES,
        # The maps' settings (None: no map anywhere), read by intake/static/map.js.
        "map_config": map_config(context.settings.map_tiles, context.settings.map_attribution,
                                 context.reference.boundaries),
        "may_draft_warnings": lambda user: may_draft(user, context.reference.agencies),
        "past_due": deadlines.past_due, "past_triage": deadlines.past_triage,
        "days_overdue": deadlines.days_overdue,
        "task_past_due": deadlines.task_past_due,
        "explanation_past_due": deadlines.explanation_past_due,
        "period_title": lambda period: period_title(period, words), "period_span": period_span,
        "month_title": lambda label: month_title(label, words),
    }


def create_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates are read once: no file check at every page
    )
    environment.filters.update(
        **FILTERS,
        number=jinja2.pass_context(lambda context, value: formatting.format_number(value,
                                                                            context["lang"])),
        tracking_code=format_tracking_code,
        party_reference=format_reference,
        pin=format_pin,
        # For links that change one query parameter and keep the others (filters, pages).
        dict_with=lambda mapping, **updates: {**mapping, **updates},
        dict_without=lambda mapping, *keys: {k: v for k, v in mapping.items() if k not in keys},
    )
    return Jinja2Templates(env=environment, context_processors=[_page_context])


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    templates = app_context(request).templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code,
                                      headers=headers)
