"""LibreOffice, for the tests that open or print the downloads as an analyst would."""

from __future__ import annotations

import pytest

from tests.conftest import IN_CI
from workflows.figures import pdf

NO_LIBREOFFICE = ("NO LIBREOFFICE: install libreoffice-calc-nogui to check what a spreadsheet "
                  "makes of the downloads and how they print")


@pytest.fixture
def spreadsheet() -> str:
    """LibreOffice's `soffice`; without it the test is skipped, loudly (with CI=true: fails)."""
    program = pdf.soffice()
    if program is None:
        if IN_CI:
            pytest.fail(f"{NO_LIBREOFFICE} (CI=true: nothing may be skipped)")
        pytest.skip(NO_LIBREOFFICE)
    return program
