"""Files built to cost the server time or memory are refused without being decoded at length:
structure no photo has is counted before Pillow parses it, formats other than the four
accepted never reach Pillow's other parsers, and what remains is decoded in a child process
that is killed past its seconds or its memory."""

from __future__ import annotations

import io
import multiprocessing
import struct
import zlib
from dataclasses import replace

import pytest
from PIL import ExifTags, Image

from tests.helpers import VALID_REPORT, jpeg_with_gps, post_report
from workflows.cases.models import Case
from workflows.evidence.checks import AttachmentRejected, check_file
from workflows.evidence.sandbox import Budget, Refused, check_in_child
from workflows.evidence.uploads import EvidencePolicy

MB = 1024 * 1024
DEFAULT = EvidencePolicy().budget


def saved(image: Image.Image, format: str, **options: object) -> bytes:
    output = io.BytesIO()
    image.save(output, format=format, **options)
    return output.getvalue()


def jpeg_with_markers(count: int) -> bytes:
    """A real JPEG with `count` empty comment markers after its start: each is parsed one at a
    time in Python."""
    photo = jpeg_with_gps()
    return photo[:2] + b"\xff\xfe\x00\x04ab" * count + photo[2:]


def png_with_chunks(count: int) -> bytes:
    photo = saved(Image.new("RGB", (16, 16), (0, 90, 0)), "PNG")
    text = b"tEXt" + b"k\x00v"
    chunk = struct.pack(">I", 3) + text + struct.pack(">I", zlib.crc32(text))
    header_end = 8 + 25  # signature and IHDR
    return photo[:header_end] + chunk * count + photo[header_end:]


def turned() -> Image.Exif:
    """EXIF asking for the picture to be turned upright: a photo that must be decoded (and
    re-encoded), not merely cleaned of its metadata."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return exif


def noisy_photo(width: int, height: int) -> bytes:
    """A photo with detail in every pixel, to be turned: as costly to decode as a camera's."""
    return saved(Image.effect_noise((width, height), 80).convert("RGB"), "JPEG", quality=90,
                  exif=turned())


@pytest.mark.parametrize(("name", "content"), [
    ("comments.jpg", jpeg_with_markers(100_000)),
    ("chunks.png", png_with_chunks(30_000)),
])
def test_structure_no_photo_has_is_refused_before_it_is_parsed(name, content):
    with pytest.raises(AttachmentRejected) as rejected:
        check_file(name, content, 10 * MB, 40_000_000)
    assert rejected.value.code == "damaged"


def test_a_photo_with_a_few_markers_more_is_still_a_photo():
    checked = check_file("anh.jpg", jpeg_with_markers(50), 10 * MB, 40_000_000)
    assert checked.content_type == "image/jpeg"


@pytest.mark.parametrize("format", ["GIF", "TIFF", "BMP", "ICO", "PPM", "TGA"])
def test_formats_pillow_could_open_are_never_handed_to_it(format):
    content = saved(Image.new("RGB", (32, 32), (10, 20, 30)), format)
    with pytest.raises(AttachmentRejected) as rejected:
        check_file(f"anh.{format.lower()}", content, 10 * MB, 40_000_000)
    assert rejected.value.code == "wrong_type"


def test_a_few_bytes_that_unfold_into_millions_of_pixels_are_refused():
    inflated = saved(Image.new("RGB", (16_000, 2_400), (255, 255, 255)), "WEBP", lossless=True)
    assert len(inflated) < 20_000  # 38 megapixels: under the limit of one image
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("trang.webp", inflated, 10 * MB, 40_000_000)
    assert rejected.value.code == "inflated"


def test_a_check_past_its_seconds_is_killed_and_refused():
    photo = noisy_photo(4_000, 3_000)
    assert isinstance(check_in_child([("anh.jpg", photo)], DEFAULT), list)
    assert check_in_child([("anh.jpg", photo)], replace(DEFAULT, seconds=0.05)) == \
        Refused("too_costly")
    assert not multiprocessing.active_children()


def test_a_check_past_its_memory_is_refused():
    photo = saved(Image.new("RGB", (7_000, 5_000), (200, 30, 40)), "JPEG", exif=turned())
    assert isinstance(check_in_child([("anh.jpg", photo)], DEFAULT), list)
    tight = Budget(DEFAULT.max_file_bytes, DEFAULT.max_image_pixels,
                   DEFAULT.max_request_pixels, DEFAULT.seconds, 200 * MB)
    assert check_in_child([("anh.jpg", photo)], tight) == Refused("too_costly")
    assert not multiprocessing.active_children()


async def test_the_citizen_is_told_what_was_wrong_with_each_kind(client):
    for name, content, message in (
            ("tem.jpg", jpeg_with_markers(100_000), "bị hỏng"),
            ("tem.gif", saved(Image.new("RGB", (8, 8)), "GIF"), "không phải là ảnh"),
            ("tem.webp", saved(Image.new("RGB", (16_000, 2_400)), "WEBP", lossless=True),
             "nhiều điểm ảnh hơn")):
        answer = await post_report(client, VALID_REPORT, [(name, content, "image/jpeg")])
        assert answer.status_code == 400, name
        assert 'id="photos-error"' in answer.text and message in answer.text, name
        assert VALID_REPORT["product_name"] in answer.text  # the form keeps what was typed
    assert not await Case.exists()
