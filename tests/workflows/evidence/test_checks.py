from __future__ import annotations

import io
import os
import struct
import time
import zlib

import pytest
from PIL import Image

from tests.helpers import MINIMAL_PDF, PE_EXECUTABLE, jpeg_with_gps, png_bytes, post_report
from workflows.cases.models import Attachment
from workflows.evidence.checks import AttachmentRejected, check_file, safe_display_name
from workflows.evidence.storage import LocalStore
from workflows.evidence.sweep import sweep_orphans

MB = 1024 * 1024


def check(name: str, content: bytes):
    return check_file(name, content, max_bytes=10 * MB, max_pixels=40_000_000)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image: a decompression bomb's calling card."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_a_jpeg_is_reencoded_without_metadata_and_both_hashes_differ():
    original = jpeg_with_gps()
    checked = check("ảnh của tôi.JPG", original)
    assert (checked.content_type, checked.extension) == ("image/jpeg", "jpg")
    assert checked.original_name == "ảnh của tôi.jpg"  # named by what it is
    assert not Image.open(io.BytesIO(checked.content)).getexif()
    assert checked.size == len(original)


def test_a_png_stays_a_png_and_a_pdf_is_kept_as_sent():
    assert check("x.png", png_bytes()).content_type == "image/png"
    pdf = check("hoa-don.pdf", MINIMAL_PDF)
    assert (pdf.content_type, pdf.content) == ("application/pdf", MINIMAL_PDF)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("anh.jpg", PE_EXECUTABLE, "wrong_type"),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "wrong_type"),
        ("anh.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "wrong_type"),
        ("cut.jpg", jpeg_with_gps()[:300], "damaged"),
        ("empty.jpg", b"", "empty"),
        ("bomb.png", png_claiming(20_000, 20_000), "too_many_pixels"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * MB), "too_large"),
        ("no-end.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "pdf_unreadable"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, content, code):
    with pytest.raises(AttachmentRejected) as rejected:
        check(name, content)
    assert rejected.value.code == code


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("../../etc/passwd", "passwd"), ("C:\\Users\\a\\anh.jpg", "anh.jpg"),
     ("bad\x00name\r\n.jpg", "badname.jpg"), ("...", "file")],
)
def test_display_names_lose_paths_and_control_characters(typed, shown):
    assert safe_display_name(typed) == shown


def test_the_store_uses_random_names_and_refuses_paths(tmp_path):
    store = LocalStore(tmp_path)
    first, second = store.save_all([check("a.jpg", jpeg_with_gps())] * 2)
    assert first.storage_name != second.storage_name
    assert store.path_of(first.storage_name).read_bytes()
    with pytest.raises(ValueError):
        store.path_of("../secret_key")
    store.discard([first, second])
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


async def test_the_sweep_removes_only_old_files_that_no_case_refers_to(app, client):
    assert (await post_report(client, files=[("tem.jpg", jpeg_with_gps(), "image/jpeg")])
            ).status_code == 303
    store = app.state.intake.store
    filed = store.path_of((await Attachment.get()).storage_name)
    left_by_a_crash, being_filed_now = (
        store.path_of(store.save(check("a.jpg", jpeg_with_gps())).storage_name) for _ in range(2))
    two_hours_ago = time.time() - 7200
    for path in (filed, left_by_a_crash):
        os.utime(path, (two_hours_ago, two_hours_ago))

    assert await sweep_orphans(store, min_age_seconds=3600) == 1
    assert not left_by_a_crash.exists()
    assert filed.exists() and being_filed_now.exists()
