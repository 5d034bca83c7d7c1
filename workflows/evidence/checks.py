"""Evidence files: type checked by content, images re-encoded without metadata (where they
are stored: `workflows.evidence.storage`).

Re-encoding drops EXIF (with GPS position), XMP and ICC data: a reporter's photo must not tell
where they live. The SHA-256 of the bytes as received is kept as evidence.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

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
    content: bytes  # what will be stored: the re-encoded image, or the PDF as received


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


def image_pixels(received: bytes, max_pixels: int) -> int:
    """How many pixels an image's header declares (0: not an image), without decoding it.
    A header past Pillow's own bomb guard counts as over the limit."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(received)) as image:
                return int(image.width * image.height)
    except Image.DecompressionBombError:
        return max_pixels + 1
    except Exception:  # not an image (a PDF), or damaged: check_file will say which
        return 0


def check_file(filename: str, received: bytes, max_bytes: int, max_pixels: int) -> CheckedFile:
    """Accept a JPEG, PNG, WebP or PDF by its content, whatever its name says."""
    if len(received) > max_bytes:
        raise AttachmentRejected("too_large", limit_mb=max_bytes // (1024 * 1024))
    if not received:
        raise AttachmentRejected("empty")
    name = safe_display_name(filename)  # its extension follows the content, below
    digest = hashlib.sha256(received).hexdigest()
    if received.startswith(b"%PDF-"):
        if b"%%EOF" not in received[-1024:]:
            raise AttachmentRejected("damaged")
        return CheckedFile(with_extension(name, PDF[1]), PDF[0], PDF[1], digest, len(received),
                           received)
    content_type, extension, content = _reencode_image(received, max_pixels)
    return CheckedFile(with_extension(name, extension), content_type, extension, digest,
                       len(received), content)


def _reencode_image(received: bytes, max_pixels: int) -> tuple[str, str, bytes]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(received))
            if image.format not in IMAGE_FORMATS:
                raise AttachmentRejected("wrong_type")
            if image.width * image.height > max_pixels:
                raise AttachmentRejected("too_many_pixels", limit_mp=max_pixels // 1_000_000)
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
    return content_type, extension, output.getvalue()
