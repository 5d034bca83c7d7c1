"""The formal report as a PDF, for those who print or sign it: the DOCX rendered by LibreOffice
(headless), so the PDF is the document exactly as it prints — no second layout to keep in step.

Each conversion runs with a profile of its own, set to the reader's locale (Vietnamese groups
1.234.567 and writes 29,9; the server's own locale is not the reader's). A conversion takes a
CPU for many seconds, so at most one per CPU runs on a machine at a time — a lock file each,
held by whichever worker process renders, so the limit holds across uvicorn workers too.
Without LibreOffice (`soffice`) there is no PDF, and the XLSX still is the report."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

TIMEOUT_SECONDS = 120
WAIT_FOR_SLOT_SECONDS = 30.0
LOCALES = {"vi": "vi-VN", "en": "en-GB"}
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
</oor:items>
"""


class Unavailable(Exception):
    """No PDF now: LibreOffice is not installed, busy, or it failed; the message says which."""


class Busy(Unavailable):
    """Every conversion slot of the machine stayed taken while we waited: try again soon."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def slots() -> int:
    return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def _slot(folder: Path, wait_seconds: float) -> Iterator[None]:
    """One of the machine's conversion slots, waiting up to `wait_seconds` for one to free."""
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        for number in range(slots()):
            handle = open(folder / f"slot-{number}.lock", "a")  # noqa: SIM115 - held below
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise Busy("every PDF conversion slot is busy: try again in a minute")
        time.sleep(0.25)


def from_xlsx(workbook: bytes, language: str = "vi", slot_folder: Path | None = None,
              wait_seconds: float = WAIT_FOR_SLOT_SECONDS) -> bytes:
    return converted(workbook, "xlsx", language, slot_folder, wait_seconds)


def from_docx(document: bytes, language: str = "vi") -> bytes:
    return converted(document, "docx", language)


def converted(source: bytes, extension: str, language: str = "vi",
              slot_folder: Path | None = None,
              wait_seconds: float = WAIT_FOR_SLOT_SECONDS) -> bytes:
    """The file (`extension`: xlsx or docx) as LibreOffice prints it."""
    program = soffice()
    if program is None:
        raise Unavailable("LibreOffice is not installed (Debian: apt-get install "
                          "libreoffice-writer-nogui libreoffice-calc-nogui): no PDF, the DOCX "
                          "and the XLSX are the report")
    slot_folder = slot_folder or Path(tempfile.gettempdir()) / "intake-pdf-slots"
    with _slot(slot_folder, wait_seconds), \
            tempfile.TemporaryDirectory(prefix="intake-pdf-") as folder:
        work = Path(folder)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(
            PROFILE_SETTINGS.format(locale=LOCALES.get(language, "vi-VN")), encoding="utf-8")
        (work / f"report.{extension}").write_bytes(source)
        try:
            subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}",
                            "--headless", "--norestore", "--convert-to", "pdf",
                            "--outdir", str(work), str(work / f"report.{extension}")],
                           capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
        except (OSError, subprocess.SubprocessError) as failed:
            raise Unavailable(f"LibreOffice could not render the report: {failed}") from None
        rendered = work / "report.pdf"
        if not rendered.exists():
            raise Unavailable("LibreOffice wrote no PDF")
        return rendered.read_bytes()
