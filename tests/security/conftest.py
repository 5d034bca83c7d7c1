"""The back-office accounts of tests/intake, for the tests that look at staff pages."""

from tests.intake.conftest import accounts  # noqa: F401 (a fixture)
