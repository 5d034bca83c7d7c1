"""Every message of the user interface has a Vietnamese translation."""

from __future__ import annotations

import datetime as dt
import io
import tempfile

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations

from workflows.i18n.formatting import format_date, format_datetime, format_vnd
from workflows.i18n.paths import CHECKOUT_DIR
from workflows.i18n.translations import LOCALE_DIR, compiled_catalogue, translations


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


PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Report a product"
msgstr "{}"
"""


def test_a_compiled_catalogue_is_kept_and_an_edited_one_compiled_again(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text(PO.format("Phản ánh sản phẩm"), encoding="utf-8")
    first = compiled_catalogue(po, "vi")
    kept = list(tmp_path.glob("messages.*.mo"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert kept[0].stat().st_mode & 0o777 == 0o644  # the service's account reads it too
    po.write_text(PO.format("Báo sản phẩm"), encoding="utf-8")  # a translator's edit
    edited = Translations(fp=io.BytesIO(compiled_catalogue(po, "vi")))
    assert edited.gettext("Report a product") == "Báo sản phẩm"
    assert not kept[0].exists()
    assert len(list(tmp_path.glob("messages.*.mo"))) == 1  # the stale one removed
    assert not list(tmp_path.glob("*.tmp"))


def test_a_catalogue_in_a_read_only_folder_is_compiled_each_time(tmp_path, monkeypatch):
    po = tmp_path / "messages.po"
    po.write_text(PO.format("Phản ánh sản phẩm"), encoding="utf-8")

    def read_only(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Read-only file system")  # root writes anywhere else here

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    for _ in range(2):
        compiled = Translations(fp=io.BytesIO(compiled_catalogue(po, "vi")))
        assert compiled.gettext("Report a product") == "Phản ánh sản phẩm"
    assert [path.name for path in tmp_path.iterdir()] == ["messages.po"]
