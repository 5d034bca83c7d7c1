"""A JPEG's metadata dropped without re-encoding: the picture must be the camera's, pixel for
pixel (libjpeg decodes both), and an independent reader of metadata (exiftool) must find
nothing of the reporter in what is stored."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess

import pytest
from PIL import ExifTags, Image

from tests.helpers import jpeg_with_gps
from workflows.evidence.checks import AttachmentRejected, check_file
from workflows.evidence.jpeg import cleaned_jpeg

MB = 1024 * 1024


def photo(width: int = 96, height: int = 64, mode: str = "RGB") -> Image.Image:
    """A picture with detail in it (noise over a gradient), so every scan carries data."""
    noise = random.Random(7)
    image = Image.new(mode, (width, height))
    channels = len(mode)
    image.putdata([tuple(min(255, (x * 3 + y * channels + noise.randrange(60)) % 256)
                         for _ in range(channels)) if channels > 1
                   else min(255, x * 2 + noise.randrange(60))
                   for y in range(height) for x in range(width)])
    return image


def saved(image: Image.Image, **options: object) -> bytes:
    output = io.BytesIO()
    image.save(output, format="JPEG", **options)
    return output.getvalue()


def phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Reporter's phone"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (12.0, 14.0, 44.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (109.0, 11.0, 38.0)
    return exif


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22'
       b'-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
       b'dc:creator="Nguyen Van Reporter"/></rdf:RDF></x:xmpmeta>')


def icc_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def with_restarts(jpeg: bytes) -> bytes:
    """The same picture with a restart marker after every row of blocks (jpegtran, lossless)."""
    return subprocess.run(["jpegtran", "-restart", "1", "-copy", "all"], input=jpeg,
                          capture_output=True, check=True).stdout


NAMES = ("baseline with GPS", "progressive with GPS", "4:4:4 with a comment", "grey with XMP",
         "with an ICC profile", "odd size", "bytes after the end", "restart markers")
NEEDS_JPEGTRAN = pytest.mark.skipif(not shutil.which("jpegtran"), reason=(
    "jpegtran not installed (apt-get install libjpeg-turbo-progs): restart markers untested"))
NEEDS_EXIFTOOL = pytest.mark.skipif(not shutil.which("exiftool"), reason=(
    "exiftool not installed (apt-get install libimage-exiftool-perl): no independent reader "
    "checked that stored photos carry no metadata"))
CASES = [pytest.param(name, marks=NEEDS_JPEGTRAN) if name == NAMES[-1] else name
         for name in NAMES]


def corpus(*wanted: str) -> dict[str, bytes]:
    colour, grey = photo(), photo(mode="L")
    files = {
        "baseline with GPS": saved(colour, exif=phone_exif(), quality=90),
        "progressive with GPS": saved(colour, exif=phone_exif(), progressive=True),
        "4:4:4 with a comment": saved(colour, subsampling=0, comment=b"Nguyen Van Reporter"),
        "grey with XMP": saved(grey, xmp=XMP),
        "with an ICC profile": saved(colour, icc_profile=icc_profile()),
        "odd size": saved(photo(33, 17), exif=phone_exif()),
        "bytes after the end": saved(colour, exif=phone_exif()) + b"PK\x03\x04<html>",
    }
    if NAMES[-1] in wanted:
        files[NAMES[-1]] = with_restarts(saved(colour, exif=phone_exif()))
    return files


def pixels(jpeg: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(jpeg)) as image:
        return image.mode, image.size, image.tobytes()


@pytest.mark.parametrize("name", CASES)
def test_the_cleaned_photo_is_the_same_picture_pixel_for_pixel(name):
    original = corpus(name)[name]
    cleaned = cleaned_jpeg(original)
    assert cleaned is not None, f"{name} should be cleaned without decoding"
    assert pixels(cleaned.content) == pixels(original)
    assert (cleaned.width, cleaned.height) == Image.open(io.BytesIO(original)).size
    stored = check_file("anh.jpg", original, 10 * MB, 40_000_000)
    assert stored.content == cleaned.content  # what is stored is that picture
    assert len(stored.content) < len(original)


def exiftool_tags(content: bytes, tmp_path) -> dict[str, object]:
    path = tmp_path / "stored.jpg"
    path.write_bytes(content)
    out = subprocess.run(["exiftool", "-json", "-a", "-G1", "-unknown", str(path)],
                         capture_output=True, check=True, text=True).stdout
    return json.loads(out)[0]


@NEEDS_EXIFTOOL
@pytest.mark.parametrize("name", CASES)
def test_exiftool_finds_nothing_of_the_reporter_in_what_is_stored(name, tmp_path):
    original = corpus(name)[name]
    before = exiftool_tags(original, tmp_path)
    stored = check_file("anh.jpg", original, 10 * MB, 40_000_000).content
    after = exiftool_tags(stored, tmp_path)
    groups = {key.split(":")[0] for key in after if ":" in key}
    assert groups <= {"ExifTool", "System", "File", "JFIF", "Composite"}, groups
    text = json.dumps(after)
    for secret in ("PhoneMaker", "Reporter", "GPS", "109", "PK", "html", "ICC"):
        assert secret not in text
    assert any(group in json.dumps(before) for group in ("GPS", "Comment", "XMP", "ICC",
                                                         "Trailer", "JFIF"))


def test_a_photo_to_be_turned_upright_is_reencoded_upright():
    original = saved(photo(96, 64), exif=phone_exif(orientation=6))
    assert cleaned_jpeg(original) is None  # not the same picture once turned: decode it
    stored = check_file("anh.jpg", original, 10 * MB, 40_000_000)
    with Image.open(io.BytesIO(stored.content)) as image:
        assert image.size == (64, 96) and not image.getexif()


def test_a_cmyk_jpeg_with_adobe_colours_is_reencoded_as_rgb():
    original = saved(photo(40, 30, mode="CMYK"))
    assert cleaned_jpeg(original) is None
    with Image.open(io.BytesIO(check_file("in.jpg", original, 10 * MB, 40_000_000).content)) as image:
        assert image.mode == "RGB" and image.size == (40, 30)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda jpeg: jpeg[:len(jpeg) // 2], "damaged"),  # cut short: no end marker
        (lambda jpeg: jpeg[:-2], "damaged"),
        (lambda jpeg: jpeg[:2] + b"\xff\xc9\x00\x02" + jpeg[2:], "wrong_type"),  # arithmetic
    ],
)
def test_a_jpeg_that_does_not_parse_is_decoded_and_refused(damage, expected):
    broken = damage(saved(photo(), exif=phone_exif()))
    assert cleaned_jpeg(broken) is None
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("anh.jpg", broken, 10 * MB, 40_000_000)
    assert rejected.value.code == expected


def test_a_header_claiming_far_more_pixels_than_its_bytes_is_refused_without_decoding():
    jpeg = saved(photo(16, 16))
    frame = jpeg.index(b"\xff\xc0")
    claimed = jpeg[:frame + 5] + (30_000).to_bytes(2, "big") + (30_000).to_bytes(2, "big") \
        + jpeg[frame + 9:]
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("bom.jpg", claimed, 10 * MB, 1_000_000_000)
    assert rejected.value.code == "inflated"
    with pytest.raises(AttachmentRejected) as rejected:
        check_file("bom.jpg", claimed, 10 * MB, 40_000_000)
    assert rejected.value.code == "too_many_pixels"


def test_the_helpers_photo_loses_its_gps_position():
    stored = check_file("a.jpg", jpeg_with_gps(), 10 * MB, 40_000_000)
    assert not Image.open(io.BytesIO(stored.content)).getexif()

