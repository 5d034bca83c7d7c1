"""Jinja2 pages: autoescaped, with the visitor's language, formatters and the CSRF token."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from intake import i18n
from intake.csrf import CSRF_FIELD, csrf_token
from intake.forms import REPORT_LABELS
from intake.settings import TEMPLATES_DIR
from workflows import catalog
from workflows.states import CLOSED_STATES
from workflows.tracking import format_pin, format_tracking_code


def _page_context(request: Request) -> dict[str, Any]:
    language = request.state.language
    translations = i18n.translations(language)
    secret_key = request.app.state.intake.settings.secret_key
    return {
        "lang": language,
        "_": translations.gettext,
        "ngettext": translations.ngettext,
        "tr": lambda problem: i18n.translate(language, problem.message, problem.params),
        "csrf_field": CSRF_FIELD,
        "csrf_token": lambda: csrf_token(request, secret_key),
        "catalog": catalog,
        "reference": request.app.state.intake.reference,
        "labels": {name: translations.gettext(label) for name, label in REPORT_LABELS.items()},
        "now": dt.datetime.now(dt.UTC),  # for "overdue" marks
        "closed_states": CLOSED_STATES,
    }


def create_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        vnd=i18n.format_vnd,
        number=jinja2.pass_context(lambda context, value: i18n.format_number(value,
                                                                            context["lang"])),
        tracking_code=format_tracking_code,
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
    templates: Jinja2Templates = request.app.state.intake.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code,
                                      headers=headers)
