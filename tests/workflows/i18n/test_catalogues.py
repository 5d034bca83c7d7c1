"""The compiled catalogue is kept beside its .po: a translator's edit shows at the next start,
a damaged kept file is compiled again, a read-only folder still gets its translations."""

from __future__ import annotations

import tempfile

from workflows.i18n.catalogues import catalogue

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Report a product"
msgstr "{}"
"""


def _po(folder, translation="Phản ánh sản phẩm"):
    po = folder / "messages.po"
    po.write_text(PO.format(translation), encoding="utf-8")
    return po


def test_a_compiled_catalogue_is_kept_and_an_edited_one_compiled_again(tmp_path):
    po = _po(tmp_path)
    assert catalogue(po, "vi").gettext("Report a product") == "Phản ánh sản phẩm"
    [kept] = tmp_path.glob("messages.*.mo")
    assert kept.stat().st_mode & 0o777 == 0o644  # the service's account reads it too
    kept.write_bytes(kept.read_bytes().replace("ánh".encode(), "ÁNH".encode()))
    assert catalogue(po, "vi").gettext("Report a product") == "Phản ÁNH sản phẩm"  # read back
    _po(tmp_path, "Báo sản phẩm")  # a translator's edit
    assert catalogue(po, "vi").gettext("Report a product") == "Báo sản phẩm"
    assert not kept.exists()  # the stale compilation removed
    assert len(list(tmp_path.glob("messages.*.mo"))) == 1


def test_a_kept_catalogue_cut_short_is_compiled_again(tmp_path):
    po = _po(tmp_path)
    catalogue(po, "vi")
    [kept] = tmp_path.glob("messages.*.mo")
    for damage in (b"", kept.read_bytes()[:40], b"\x00" * 64):  # a crash, a full disk
        kept.write_bytes(damage)
        assert catalogue(po, "vi").gettext("Report a product") == "Phản ánh sản phẩm"
        assert len(kept.read_bytes()) > 64  # replaced by a whole one


def test_a_copy_left_half_written_by_a_killed_process_is_removed(tmp_path):
    po = _po(tmp_path)
    left = tmp_path / "messages.k1ll3d.mo.tmp"
    left.write_bytes(b"\xde\x12")
    catalogue(po, "vi")
    assert not left.exists()
    assert [path.suffix for path in tmp_path.iterdir() if path.name != "messages.po"] == [".mo"]


def test_a_catalogue_in_a_read_only_folder_is_compiled_each_time(tmp_path, monkeypatch):
    po = _po(tmp_path)

    def read_only(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Read-only file system")  # root writes anywhere else here

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    for _ in range(2):
        assert catalogue(po, "vi").gettext("Report a product") == "Phản ánh sản phẩm"
    assert [path.name for path in tmp_path.iterdir()] == ["messages.po"]
