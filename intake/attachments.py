"""Evidence files: type checked by content, images re-encoded without metadata, stored by
random names under the data dir.

Re-encoding drops EXIF (with GPS position), XMP and ICC data: a reporter's photo must not tell
where they live. The SHA-256 of the bytes as received is kept as evidence.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import time
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from workflows.models import Attachment
from workflows.reports import EvidenceFile

# Image format (as Pillow names it) -> (content type, file extension, save options).
IMAGE_FORMATS: dict[str, tuple[str, str, dict[str, object]]] = {
    "JPEG": ("image/jpeg", "jpg", {"quality": 85}),
    "PNG": ("image/png", "png", {}),
    "WEBP": ("image/webp", "webp", {"quality": 85}),
}
PDF = ("application/pdf", "pdf")
MAX_NAME_CHARS = 100
SWEEP_BATCH = 500


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
    """The last path component, without control characters, for display only."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:MAX_NAME_CHARS] or "file"


def check_file(filename: str, received: bytes, max_bytes: int, max_pixels: int) -> CheckedFile:
    """Accept a JPEG, PNG, WebP or PDF by its content, whatever its name says."""
    if len(received) > max_bytes:
        raise AttachmentRejected("too_large", limit_mb=max_bytes // (1024 * 1024))
    if not received:
        raise AttachmentRejected("empty")
    name = safe_display_name(filename)
    digest = hashlib.sha256(received).hexdigest()
    if received.startswith(b"%PDF-"):
        if b"%%EOF" not in received[-1024:]:
            raise AttachmentRejected("damaged")
        return CheckedFile(name, PDF[0], PDF[1], digest, len(received), received)
    content_type, extension, content = _reencode_image(received, max_pixels)
    return CheckedFile(name, content_type, extension, digest, len(received), content)


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


class AttachmentStore:
    """Files under `root/ab/<random>.<ext>`. A name is only reachable through its database row."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, storage_name: str) -> Path:
        if "/" in storage_name or "\\" in storage_name or storage_name.startswith("."):
            raise ValueError(f"not a storage name: {storage_name!r}")
        return self.root / storage_name[:2] / storage_name

    def save(self, checked: CheckedFile) -> EvidenceFile:
        storage_name = f"{secrets.token_hex(16)}.{checked.extension}"
        path = self.path_of(storage_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            with os.fdopen(fd, "wb") as handle:
                handle.write(checked.content)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            path.unlink(missing_ok=True)
            raise
        return EvidenceFile(
            storage_name=storage_name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            received_sha256=checked.received_sha256,
            stored_sha256=hashlib.sha256(checked.content).hexdigest(),
        )

    def save_all(self, files: list[CheckedFile]) -> list[EvidenceFile]:
        """Store every file or none: on a failure the ones already written are removed."""
        saved: list[EvidenceFile] = []
        try:
            for checked in files:
                saved.append(self.save(checked))
        except OSError:
            self.discard(saved)
            raise
        return saved

    def discard(self, files: list[EvidenceFile]) -> None:
        for file in files:
            self.path_of(file.storage_name).unlink(missing_ok=True)

    def files_older_than(self, seconds: float) -> Iterator[Path]:
        """Stored files last written more than `seconds` ago: a newer one may belong to a
        report that is being filed right now, by this worker or another."""
        cutoff = time.time() - seconds
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.is_dir():
                for path in folder.iterdir():
                    if path.is_file() and path.stat().st_mtime < cutoff:
                        yield path


async def sweep_orphans(store: AttachmentStore, min_age_seconds: float) -> int:
    """Remove files no attachment row names: what a crash between writing a file and
    committing its case leaves behind. They are never served (a file is only reachable
    through its row), but they hold photos nobody can see or delete. Returns how many."""
    removed = 0
    files = store.files_older_than(min_age_seconds)
    while batch := list(islice(files, SWEEP_BATCH)):
        names = {path.name for path in batch}
        known = set(await Attachment.filter(storage_name__in=names)
                    .values_list("storage_name", flat=True))
        for path in batch:
            if path.name not in known:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
