"""Every message of the user interface has a Vietnamese translation."""

from __future__ import annotations

import datetime as dt

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from workflows.i18n.formatting import format_date, format_datetime, format_vnd
from workflows.i18n.paths import CHECKOUT_DIR
from workflows.i18n.translations import LOCALE_DIR, translations


def ui_messages() -> set[str]:
    with (LOCALE_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "N_": None, "gettext": None}
    return {message for _, _, message, _, _ in extract_from_dir(
        CHECKOUT_DIR, method_map, options_map, keywords=keywords) if isinstance(message, str)}


def test_every_message_has_a_vietnamese_translation():
    with (LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="vi")
    messages = ui_messages()
    assert len(messages) > 100
    untranslated = sorted(m for m in messages if not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == []
    assert translations("vi").gettext("Report a product") == "Phản ánh sản phẩm"


def test_dates_and_amounts_are_shown_the_vietnamese_way():
    moment = dt.datetime(2026, 11, 22, 18, 5, tzinfo=dt.UTC)  # 01:05 on the 23rd in Vietnam
    assert format_datetime(moment) == "23/11/2026 01:05"
    assert format_date(moment) == "23/11/2026"
    assert format_vnd(1234567) == "1.234.567 ₫"

