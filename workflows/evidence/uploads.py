"""The files a person sends with a report or a follow-up, checked before anything is stored:
how many and how large first (nothing read), then each one's content, images decoded and PDFs
parsed in a budgeted child process started from a bounded pool of worker threads (that is CPU
work that must not stall the event loop)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import anyio
import anyio.to_thread

from workflows.evidence.checks import CheckedFile, sniffed_kind
from workflows.evidence.sandbox import Budget, Refused, check_in_child, check_in_process
from workflows.i18n.messages import N_, Problem

REJECTION_MESSAGES: dict[str, str] = {
    "too_large": N_("“{name}” is larger than {limit_mb} MB."),
    "empty": N_("“{name}” is empty."),
    "wrong_type": N_("“{name}” is not a photo (JPEG, PNG, WebP) or a PDF."),
    "damaged": N_("“{name}” is damaged and cannot be opened."),
    "too_many_pixels": N_("“{name}” has more than {limit_mp} megapixels."),
    "request_pixels": N_("Together the photos have more than {limit_mp} megapixels: send fewer "
                         "or smaller photos."),
    "inflated": N_("“{name}” unfolds into far more pixels than a photo of its size: send the "
                   "photo as the camera saved it."),
    "too_costly": N_("Your photos could not be checked within {seconds} seconds: send fewer or "
                     "smaller photos, or photos straight from the camera."),
    "too_costly_pdf": N_("Your files could not be checked within {seconds} seconds: send fewer "
                         "files, PDFs as the program that made them saved them, or photos of "
                         "the pages."),
    "pdf_unreadable": N_("“{name}” begins like a PDF but cannot be read as one: it may be cut "
                         "short, damaged or another kind of file. Send the PDF as the program "
                         "that made it saved it."),
    "pdf_encrypted": N_("“{name}” is protected by a password. Send the PDF without a password."),
    "pdf_no_pages": N_("“{name}” has no pages."),
    "pdf_script": N_("“{name}” contains JavaScript, which could run when an officer opens it. "
                     "Print it again as a new PDF and send that, or photos of its pages."),
    "pdf_action": N_("“{name}” contains actions that run when it is opened, start programs, "
                     "open other files or send data. Print it again as a new PDF and send "
                     "that, or photos of its pages."),
    "pdf_embedded": N_("“{name}” carries other files inside it. Send each document on its own, "
                       "as a PDF or a photo."),
    "pdf_xfa": N_("“{name}” is an XFA form, which only some programs can show. Print it as a "
                  "new PDF and send that, or photos of its pages."),
}


class Upload(Protocol):
    """A file as the web layer received it (Starlette's UploadFile is one)."""

    filename: str | None
    size: int | None

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class EvidencePolicy:
    max_files: int = 5
    max_file_bytes: int = 10 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    # Every image of one request together: what one request may cost in decoding (a 40 MP
    # image takes seconds of CPU and hundreds of MB).
    max_request_pixels: int = 60_000_000
    # Requests whose images are checked at once in this worker, each in its own process.
    decoders: int = 2
    # What checking one request's files may cost before its process is killed.
    seconds: float = 6.0
    memory_mb: int = 1024

    @property
    def budget(self) -> Budget:
        return Budget(self.max_file_bytes, self.max_image_pixels, self.max_request_pixels,
                      self.seconds, self.memory_mb * 1024 * 1024)

    @functools.cached_property
    def limiter(self) -> anyio.CapacityLimiter:
        return anyio.CapacityLimiter(self.decoders)


class UploadRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def count_and_size(uploads: Sequence[Upload], policy: EvidencePolicy) -> Problem | None:
    """A cheap check before any file is read: how many, and how large they say they are."""
    if len(uploads) > policy.max_files:
        return Problem(N_("At most {limit} files (you chose {count})."),
                       {"limit": policy.max_files, "count": len(uploads)})
    for upload in uploads:
        if upload.size is not None and upload.size > policy.max_file_bytes:
            return Problem(REJECTION_MESSAGES["too_large"],
                           {"name": upload.filename or "",
                            "limit_mb": policy.max_file_bytes // (1024 * 1024)})
    return None


async def check_contents(uploads: Sequence[Upload], policy: EvidencePolicy) -> list[CheckedFile]:
    """Each file checked by its content (images without metadata), or UploadRefused naming the
    first that is not acceptable. Files that need no decoder are checked at once; otherwise
    all of it happens in a child process under the policy's budget: the images' sizes read
    from their headers first, then each file decoded."""
    if not uploads:
        return []
    files = [(upload.filename or "", await upload.read(policy.max_file_bytes + 1))
             for upload in uploads]
    # Hashing and scanning megabytes: in a thread, off the event loop.
    result = await anyio.to_thread.run_sync(check_in_process, files, policy.budget)
    if result is None:
        result = await anyio.to_thread.run_sync(check_in_child, files, policy.budget,
                                                limiter=policy.limiter)
    if isinstance(result, Refused):
        raise UploadRefused(_refusal(result, files, policy))
    return result


def _refusal(refused: Refused, files: list[tuple[str, bytes]], policy: EvidencePolicy) -> Problem:
    code = refused.code
    if code == "too_costly" and any(sniffed_kind(content) == "pdf" for _, content in files):
        code = "too_costly_pdf"  # not only photos: the advice about cameras would not help
    name = files[refused.index][0] if refused.index >= 0 else ""
    return Problem(REJECTION_MESSAGES[code], {"name": name, "seconds": f"{policy.seconds:g}",
                                              **(refused.params or {})})
