"""The gettext catalogue: messages are written in English in the code and templates (gettext
ids) and translated from `workflows/i18n/locale/<lang>/LC_MESSAGES/messages.po`, compiled with
Babel (workflows.i18n.catalogues). Vietnamese first, English available."""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from workflows.i18n.catalogues import catalogue
from workflows.i18n.messages import Problem

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def translations(language: str) -> gettext.NullTranslations:
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language not in LANGUAGES or not po_path.exists():
        return gettext.NullTranslations()
    return catalogue(po_path, language)


def translate(language: str, message: str, params: Mapping[str, object] | None = None) -> str:
    text = translations(language).gettext(message)
    return text.format(**params) if params else text


class Labelled(Protocol):
    """A code with a gettext id for its label: a catalogue term, an agency, a flag."""

    @property
    def code(self) -> str: ...

    @property
    def label(self) -> str: ...


@dataclass(frozen=True)
class Translator:
    """One language's words: the gettext catalogue, with the entries config/ adds (agency
    names and descriptions, which are configured in both languages). The one way anything
    is translated, on pages, in mail, in files and in the API."""

    language: str
    extra: Mapping[str, str] = field(default_factory=dict)

    def gettext(self, message: str) -> str:
        return self.extra.get(message) or translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return translations(self.language).ngettext(singular, plural, count)

    def __call__(self, message: str, params: Mapping[str, object] | None = None) -> str:
        text = self.gettext(message)
        return text.format(**params) if params else text

    def problem(self, problem: Problem) -> str:
        return self(problem.message, problem.params)

    def label(self, terms: Iterable[Labelled], code: str | None, default: str = "—") -> str:
        """The label of `code` among `terms`; the code itself if unknown, `default` if empty."""
        if not code:
            return default
        found = next((term for term in terms if term.code == code), None)
        return self.gettext(found.label) if found else code


def translator(language: str, extra: Mapping[str, str] | None = None) -> Translator:
    return Translator(language if language in LANGUAGES else DEFAULT_LANGUAGE, extra or {})
