"""The gettext catalogue: messages are written in English in the code and templates (gettext
ids) and translated from `workflows/i18n/locale/<lang>/LC_MESSAGES/messages.po`, compiled in
memory at start with Babel. Vietnamese first, English available."""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def translations(language: str) -> gettext.NullTranslations:
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language not in LANGUAGES or not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def translate(language: str, message: str, params: Mapping[str, object] | None = None) -> str:
    text = translations(language).gettext(message)
    return text.format(**params) if params else text
