"""The formal report as a PDF, for those who print or sign it: the XLSX rendered by LibreOffice
(headless), so the PDF is the workbook exactly as it prints — no second layout to keep in step.
Each conversion runs with a profile of its own, so several may run at once; without LibreOffice
(`soffice`) on the machine there is no PDF, and the XLSX still is."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120


class Unavailable(Exception):
    """No PDF now: LibreOffice is not installed, or it failed; the message says which."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def from_xlsx(workbook: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise Unavailable("LibreOffice is not installed (Debian: apt-get install "
                          "libreoffice-calc-nogui): no PDF, the XLSX is the report")
    with tempfile.TemporaryDirectory(prefix="intake-pdf-") as folder:
        work = Path(folder)
        (work / "report.xlsx").write_bytes(workbook)
        try:
            subprocess.run([program, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                            "--headless", "--norestore", "--convert-to", "pdf",
                            "--outdir", str(work), str(work / "report.xlsx")],
                           capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
        except (OSError, subprocess.SubprocessError) as failed:
            raise Unavailable(f"LibreOffice could not render the report: {failed}") from None
        rendered = work / "report.pdf"
        if not rendered.exists():
            raise Unavailable("LibreOffice wrote no PDF")
        return rendered.read_bytes()
