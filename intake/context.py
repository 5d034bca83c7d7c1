"""What handlers need, built once at start and kept on `app.state.intake`, typed."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from intake.settings import Settings
from intake.submission import Submission
from workflows.i18n.translations import Translator
from workflows.mail.sender import OutboxSender
from workflows.reference.loading import ReferenceData


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    reference: ReferenceData
    templates: Jinja2Templates
    submission: Submission
    outbox_sender: OutboxSender


def app_context(request: Request) -> AppContext:
    context = request.app.state.intake
    assert isinstance(context, AppContext), "create_app() puts the context on app.state"
    return context


def translator(request: Request) -> Translator:
    """The visitor's language (LanguageMiddleware), with the configured agencies' names."""
    return app_context(request).reference.translator(request.state.language)
