from __future__ import annotations

import hashlib
import io
import os
import struct
import time
import zlib

import pytest
from PIL import Image

from tests.helpers import MINIMAL_PDF, PE_EXECUTABLE, jpeg_with_gps, png_bytes, post_report
from tests.workflows.evidence.test_sandbox import (
    jpeg_with_markers,
    png_with_chunks,
    saved,
    turned,
)
from workflows.cases.models import Attachment
from workflows.evidence.checks import (
    _JPEG_MARKER,
    MAX_JPEG_MARKERS,
    MAX_PNG_CHUNKS,
    AttachmentRejected,
    check_file,
    image_pixels,
    safe_display_name,
    too_intricate,
)
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


def test_structure_is_counted_up_to_the_limit_and_refused_one_past_it():
    """A photo with exactly as many markers or chunks as the limit is still a photo; one
    more is refused. (The guard is counted at the edge, where a mutation test found it
    unchecked.)"""
    photo_markers = len(_JPEG_MARKER.findall(jpeg_with_gps()))
    assert not too_intricate(jpeg_with_markers(MAX_JPEG_MARKERS - photo_markers), "jpeg")
    assert too_intricate(jpeg_with_markers(MAX_JPEG_MARKERS - photo_markers + 1), "jpeg")
    # png_with_chunks adds to a picture of three chunks: IHDR, IDAT and IEND.
    assert not too_intricate(png_with_chunks(MAX_PNG_CHUNKS - 3), "png")
    assert too_intricate(png_with_chunks(MAX_PNG_CHUNKS - 2), "png")
    # A chunk claiming more bytes than the file has ends the count (Pillow then refuses the
    # file as damaged): it is not read as a step backwards.
    huge = png_with_chunks(0)[:33] + struct.pack(">I", 0xFFFFFFF0) + b"tEXt" + b"\x00" * 8
    assert not too_intricate(huge, "png")
    assert not too_intricate(MINIMAL_PDF, "pdf")


def test_the_pixels_a_header_declares_are_counted_without_decoding():
    assert image_pixels(png_bytes(), 40_000_000) == 32 * 32
    assert image_pixels(MINIMAL_PDF, 40_000_000) == 0  # no image: check_file says what it is
    assert image_pixels(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, 40_000_000) == 0  # damaged
    assert image_pixels(png_with_chunks(30_000), 40_000_000) == 0  # refused before opening
    # Past Pillow's bomb guard, or far more pixels than its bytes could hold: over any limit.
    assert image_pixels(png_claiming(20_000, 20_000), 40_000_000) == 40_000_001
    assert image_pixels(png_claiming(5_000, 5_000), 40_000_000) == 40_000_001


def test_the_pixel_limit_takes_an_image_of_exactly_its_size():
    assert check_file("x.png", png_bytes(), 10 * MB, max_pixels=1024).content_type == "image/png"
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("x.png", png_bytes(), 10 * MB, max_pixels=1023)
    assert (rejected.value.code, rejected.value.params) == ("too_many_pixels", {"limit_mp": 0})
    photo = jpeg_with_gps()  # cleaned without a decoder: the same limit
    width, height = Image.open(io.BytesIO(photo)).size
    assert check_file("a.jpg", photo, 10 * MB, max_pixels=width * height).pixels == \
        width * height
    with pytest.raises(AttachmentRejected):
        check_file("a.jpg", photo, 10 * MB, max_pixels=width * height - 1)


def test_a_refusal_carries_the_limit_it_names():
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("big.pdf", MINIMAL_PDF, max_bytes=len(MINIMAL_PDF) - 1, max_pixels=1)
    assert (rejected.value.code, rejected.value.params) == ("too_large", {"limit_mb": 0})
    with pytest.raises(AttachmentRejected) as rejected:
        check("bomb.png", png_claiming(20_000, 20_000))
    assert rejected.value.params == {"limit_mp": 40}
    accepted = check_file("x.pdf", MINIMAL_PDF, max_bytes=len(MINIMAL_PDF), max_pixels=1)
    assert (accepted.received_sha256, accepted.size) == (
        hashlib.sha256(MINIMAL_PDF).hexdigest(), len(MINIMAL_PDF))


def test_a_decoded_image_is_stored_as_it_was_found_under_its_new_name():
    sent = saved(Image.new("RGBA", (40, 30), (0, 90, 0, 128)), "PNG")
    checked = check("hoa don.gif", sent)  # a PNG, whatever its name says
    assert (checked.original_name, checked.content_type, checked.extension) == (
        "hoa don.png", "image/png", "png")
    assert (checked.received_sha256, checked.size, checked.pixels) == (
        hashlib.sha256(sent).hexdigest(), len(sent), 40 * 30)
    assert Image.open(io.BytesIO(checked.content)).mode == "RGBA"  # its transparency kept


def test_a_photo_turned_upright_keeps_its_colours_and_the_quality_it_is_stored_at():
    grey = saved(Image.new("L", (40, 30), 128), "JPEG", exif=turned())
    stored = Image.open(io.BytesIO(check("xam.jpg", grey).content))
    assert (stored.mode, stored.size) == ("L", (30, 40))  # upright, and still grey
    colour = saved(Image.effect_noise((64, 48), 60).convert("RGB"), "JPEG", exif=turned())
    stored = Image.open(io.BytesIO(check("anh.jpg", colour).content))
    at_85 = Image.open(io.BytesIO(saved(Image.new("RGB", (8, 8)), "JPEG", quality=85)))
    assert stored.quantization == at_85.quantization


def test_the_pixel_limit_is_named_in_whole_megapixels():
    photo = saved(Image.effect_noise((1_500, 1_400), 60).convert("RGB"), "PNG")  # 2.1 MP
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("anh.png", photo, 10 * MB, max_pixels=1_500_000)
    assert rejected.value.params == {"limit_mp": 1}
    assert str(rejected.value.params["limit_mp"]) == "1"  # "1 megapixel", never "1.5"


def test_every_kind_of_photo_counts_towards_the_requests_pixels():
    """The request's pixel budget adds up what each header declares: a JPEG's and a WebP's
    count as much as a PNG's."""
    photo = jpeg_with_gps()
    width, height = Image.open(io.BytesIO(photo)).size
    assert image_pixels(photo, 40_000_000) == width * height
    webp = saved(Image.effect_noise((60, 40), 60).convert("RGB"), "WEBP")
    assert image_pixels(webp, 40_000_000) == 60 * 40


def test_a_photo_cleaned_without_a_decoder_keeps_the_hash_it_was_received_with():
    photo = jpeg_with_gps()
    checked = check("a.jpg", photo)
    assert (checked.received_sha256, checked.size) == (hashlib.sha256(photo).hexdigest(),
                                                       len(photo))


@pytest.mark.parametrize(("max_pixels", "named"), [(2_500_000, 2), (2_000_000, 2)])
def test_a_limit_is_named_in_whole_megapixels_whichever_guard_refuses(max_pixels, named):
    photo = saved(Image.effect_noise((1_700, 1_600), 60), "PNG")  # 2.7 MP
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("anh.png", photo, 10 * MB, max_pixels=max_pixels)
    assert rejected.value.params == {"limit_mp": named}
    assert str(rejected.value.params["limit_mp"]) == str(named)  # never "2.5"
    # Past Pillow's own bomb guard, the same words.
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("bomb.png", png_claiming(20_000, 20_000), 10 * MB, max_pixels=max_pixels)
    assert str(rejected.value.params["limit_mp"]) == str(named)
