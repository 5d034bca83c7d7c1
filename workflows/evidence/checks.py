"""Evidence files: type checked by content, images stored without metadata, PDFs read by a real
parser (`workflows.evidence.pdfs`); where they are stored: `workflows.evidence.storage`.

A reporter's photo must not tell where they live: EXIF (with GPS position), XMP and ICC data
go. A JPEG loses them losslessly, without a decoder, where that is provably the same picture
(`workflows.evidence.jpeg`); every other image is decoded and re-encoded. The SHA-256 of the
bytes as received is kept as evidence.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import struct
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from workflows.evidence.jpeg import cleaned_jpeg
from workflows.evidence.pdfs import pdf_refusal

# Image format (as Pillow names it) -> (content type, file extension, save options).
IMAGE_FORMATS: dict[str, tuple[str, str, dict[str, object]]] = {
    "JPEG": ("image/jpeg", "jpg", {"quality": 85}),
    "PNG": ("image/png", "png", {}),
    "WEBP": ("image/webp", "webp", {"quality": 85}),
}
PDF = ("application/pdf", "pdf")
MAX_NAME_CHARS = 100


class AttachmentRejected(ValueError):
    """The file cannot be accepted; `code` selects the message shown to the person."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content_type: str
    extension: str
    received_sha256: str
    size: int
    content: bytes  # what will be stored: the image without metadata, or the PDF as received
    pixels: int = 0  # an image's, as its header declares them


def safe_display_name(filename: str) -> str:
    """The last path component, without control or format characters (bidi overrides that
    would disguise ".exe" as ".jpg" among them), for display only."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:MAX_NAME_CHARS] or "file"


def with_extension(name: str, extension: str) -> str:
    """The name a file is shown and downloaded under: its own extension is replaced by the one
    of the type its content was found to be, so an "invoice.html" that is a PDF is saved as
    "invoice.pdf" and never opened by a browser."""
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    return f"{stem or 'file'}.{extension}"


EXTENSIONS = {content_type: extension for content_type, extension, _ in IMAGE_FORMATS.values()}
EXTENSIONS[PDF[0]] = PDF[1]


# Structure a real photo never has, counted at C speed before Pillow parses anything (it parses
# markers and chunks one at a time in Python): a JPEG with hundreds of markers (a progressive
# one repeating its scans to make decoding take minutes), a PNG with tens of thousands of chunks.
MAX_JPEG_MARKERS = 300
MAX_PNG_CHUNKS = 20_000
# A photo or a scan takes at least a byte per few hundred pixels; a few bytes that unfold into
# millions of pixels are built to cost decoding time, not to show anything.
MAX_PIXELS_PER_BYTE = 2_000
_JPEG_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")


def sniffed_kind(received: bytes) -> str | None:
    """What the bytes say they are, by their first bytes only: "jpeg", "png", "webp", "pdf"."""
    if received.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if received.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if received[:4] == b"RIFF" and received[8:12] == b"WEBP":
        return "webp"
    if received.startswith(b"%PDF-"):
        return "pdf"
    return None


def too_intricate(received: bytes, kind: str) -> bool:
    if kind == "jpeg":
        markers = itertools.islice(_JPEG_MARKER.finditer(received), MAX_JPEG_MARKERS + 1)
        return sum(1 for _ in markers) > MAX_JPEG_MARKERS
    if kind == "png":
        return _png_chunks(received) > MAX_PNG_CHUNKS
    return False


def _png_chunks(received: bytes) -> int:
    position, count = 8, 0
    while position + 8 <= len(received) and count <= MAX_PNG_CHUNKS:
        (length,) = struct.unpack(">I", received[position:position + 4])
        position += length + 12
        count += 1
    return count


def image_pixels(received: bytes, max_pixels: int) -> int:
    """How many pixels an image's header declares (0: not an image), without decoding it.
    A header past Pillow's own bomb guard counts as over the limit."""
    if sniffed_kind(received) not in ("jpeg", "png", "webp") or too_intricate(
            received, str(sniffed_kind(received))):
        return 0  # not opened: check_file refuses it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(received)) as image:
                pixels = int(image.width * image.height)
    except Image.DecompressionBombError:
        return max_pixels + 1
    except Exception:  # not an image (a PDF), or damaged: check_file will say which
        return 0
    if pixels > MAX_PIXELS_PER_BYTE * len(received):
        return max_pixels + 1  # refused as too many pixels, before anything is decoded
    return pixels


def check_file(filename: str, received: bytes, max_bytes: int, max_pixels: int) -> CheckedFile:
    """Accept a JPEG, PNG, WebP or PDF by its content, whatever its name says."""
    name, digest, kind = _identified(filename, received, max_bytes)
    if kind == "pdf":
        return _checked_pdf(name, digest, received)
    undecoded = _without_decoder(name, digest, kind, received, max_pixels)
    if undecoded is not None:
        return undecoded
    content_type, extension, content, pixels = _reencode_image(received, max_pixels)
    return CheckedFile(with_extension(name, extension), content_type, extension, digest,
                       len(received), content, pixels)


def check_undecoded(filename: str, received: bytes, max_bytes: int,
                    max_pixels: int) -> CheckedFile | None:
    """`check_file` for what needs no decoder nor parser — a JPEG cleaned losslessly — and so
    may run in the server's own process; None: the file must be decoded or parsed (a PDF), under
    a budget."""
    name, digest, kind = _identified(filename, received, max_bytes)
    return _without_decoder(name, digest, kind, received, max_pixels)


def _identified(filename: str, received: bytes, max_bytes: int) -> tuple[str, str, str]:
    """The display name, the SHA-256 as received and the kind, or AttachmentRejected."""
    if len(received) > max_bytes:
        raise AttachmentRejected("too_large", limit_mb=max_bytes // (1024 * 1024))
    if not received:
        raise AttachmentRejected("empty")
    name = safe_display_name(filename)  # its extension follows the content
    kind = sniffed_kind(received)
    if kind is None:
        raise AttachmentRejected("wrong_type")  # never handed to Pillow's other parsers
    if too_intricate(received, kind):
        raise AttachmentRejected("damaged")
    return name, hashlib.sha256(received).hexdigest(), kind


def _without_decoder(name: str, digest: str, kind: str, received: bytes,
                     max_pixels: int) -> CheckedFile | None:
    clean = cleaned_jpeg(received) if kind == "jpeg" else None
    if clean is None:
        return None
    pixels = clean.width * clean.height
    _check_pixels(pixels, len(received), max_pixels)
    content_type, extension, _ = IMAGE_FORMATS["JPEG"]
    return CheckedFile(with_extension(name, extension), content_type, extension, digest,
                       len(received), clean.content, pixels)


def _checked_pdf(name: str, digest: str, received: bytes) -> CheckedFile:
    refusal = pdf_refusal(received)
    if refusal is not None:
        raise AttachmentRejected(refusal)
    return CheckedFile(with_extension(name, PDF[1]), PDF[0], PDF[1], digest, len(received),
                       received)


def _check_pixels(pixels: int, received_bytes: int, max_pixels: int) -> None:
    if pixels > max_pixels:
        raise AttachmentRejected("too_many_pixels", limit_mp=max_pixels // 1_000_000)
    if pixels > MAX_PIXELS_PER_BYTE * received_bytes:
        raise AttachmentRejected("inflated")


def _reencode_image(received: bytes, max_pixels: int) -> tuple[str, str, bytes, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(received))
            if image.format not in IMAGE_FORMATS:
                raise AttachmentRejected("wrong_type")
            pixels = image.width * image.height
            _check_pixels(pixels, len(received), max_pixels)
            content_type, extension, options = IMAGE_FORMATS[image.format]
            # Turn the picture upright first: the orientation tag goes with the rest of EXIF.
            upright = ImageOps.exif_transpose(image)
            if image.format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            upright.info.clear()
            output = io.BytesIO()
            upright.save(output, format=image.format, **options)
    except AttachmentRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, before our limit can be checked: the header claims a huge image.
        raise AttachmentRejected("too_many_pixels", limit_mp=max_pixels // 1_000_000) from None
    except UnidentifiedImageError:
        raise AttachmentRejected("wrong_type") from None
    except (OSError, SyntaxError, ValueError):
        # Truncated or corrupt image data.
        raise AttachmentRejected("damaged") from None
    return content_type, extension, output.getvalue(), pixels
