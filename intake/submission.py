"""From uploaded files and a validated draft to a stored case, for the web form and the API.

Files are checked (in a worker thread: decoding images is CPU work), written to storage, then
the case is filed in one transaction; if that fails the files are removed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from intake.settings import Settings
from workflows.audit.log import Actor
from workflows.cases.filing import FiledReport, file_report
from workflows.cases.models import Case
from workflows.cases.reporter import add_reporter_followup
from workflows.cases.validation import ReportDraft
from workflows.db.errors import DATABASE_UNAVAILABLE
from workflows.evidence.checks import AttachmentRejected, CheckedFile, check_file
from workflows.evidence.storage import EvidenceFile, EvidenceStore
from workflows.i18n.messages import N_, Problem
from workflows.mail.notifications import Notifier
from workflows.reference.loading import ReferenceData

REJECTION_MESSAGES: dict[str, str] = {
    "too_large": N_("“{name}” is larger than {limit_mb} MB."),
    "empty": N_("“{name}” is empty."),
    "wrong_type": N_("“{name}” is not a photo (JPEG, PNG, WebP) or a PDF."),
    "damaged": N_("“{name}” is damaged and cannot be opened."),
    "too_many_pixels": N_("“{name}” has more than {limit_mp} megapixels."),
}


class StorageUnavailable(Exception):
    """The disk refused a write (full, read-only): nothing was stored, the person may retry."""


# Filing failed before anything was stored: the disk or the database refused for now.
NOTHING_STORED: tuple[type[Exception], ...] = (StorageUnavailable, *DATABASE_UNAVAILABLE)


@dataclass(frozen=True)
class Submission:
    settings: Settings
    reference: ReferenceData
    store: EvidenceStore
    notifier: Notifier

    def uploads_problem(self, uploads: list[UploadFile]) -> Problem | None:
        """A cheap check before any file is read: how many, and how large."""
        if len(uploads) > self.settings.max_attachments:
            return Problem(N_("At most {limit} files (you chose {count})."),
                           {"limit": self.settings.max_attachments, "count": len(uploads)})
        limit = self.settings.max_attachment_bytes
        for upload in uploads:
            if upload.size is not None and upload.size > limit:
                return Problem(REJECTION_MESSAGES["too_large"],
                               {"name": upload.filename or "", "limit_mb": limit // (1024 * 1024)})
        return None

    async def check_uploads(self, uploads: list[UploadFile]) -> tuple[list[CheckedFile], Problem | None]:
        problem = self.uploads_problem(uploads)
        if problem:
            return [], problem
        checked: list[CheckedFile] = []
        for upload in uploads:
            received = await upload.read(self.settings.max_attachment_bytes + 1)
            try:
                checked.append(await run_in_threadpool(
                    check_file, upload.filename or "", received,
                    self.settings.max_attachment_bytes, self.settings.max_image_pixels))
            except AttachmentRejected as rejection:
                params = {"name": upload.filename or "", **rejection.params}
                return [], Problem(REJECTION_MESSAGES[rejection.code], params)
        return checked, None

    def _store(self, files: list[CheckedFile]) -> list[EvidenceFile]:
        try:
            return self.store.save_all(files)
        except OSError as exc:
            raise StorageUnavailable(str(exc.strerror or exc)) from exc

    async def file(self, draft: ReportDraft, files: list[CheckedFile], actor: Actor) -> FiledReport:
        evidence = await run_in_threadpool(self._store, files)
        try:
            return await file_report(draft, evidence, self.reference, self.settings.secret_key,
                                     actor, self.notifier)
        except BaseException:
            self.store.discard(evidence)
            raise

    async def add_followup(self, case: Case, body: str, files: list[CheckedFile]) -> None:
        evidence = await run_in_threadpool(self._store, files)
        try:
            await add_reporter_followup(case, body, evidence)
        except BaseException:
            self.store.discard(evidence)
            raise
