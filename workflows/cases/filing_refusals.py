"""Why a filing stored nothing (a report, a reporter's addition, a business's answer, a
brand owner's registration, an app's update): each says what, by field, and how a page or the
API answers it — 400 with the form as typed, 429 until the allowance renews, 503 to try again
in a moment."""

from __future__ import annotations

from workflows.access.limits import RateLimited
from workflows.i18n.messages import N_, Errors, Problem

NOTHING_STORED = N_("Your report could not be saved just now. Nothing was stored. "
                    "Please try again in a few minutes.")


class FilingRefused(Exception):
    """Nothing was stored; `errors` say why, by field ("form": the whole request)."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(problem.message for problem in errors.values()))
        self.errors = errors


class InvalidReport(FilingRefused):
    """A field or a file is not acceptable: 400, the form comes back as typed."""


class TooManyReports(FilingRefused):
    """The address's allowance is used up: 429 until `retry_at`."""

    def __init__(self, limited: RateLimited) -> None:
        super().__init__({"form": limited.problem})
        self.limited = limited


class NothingStored(FilingRefused):
    """The disk or the database refused for now: 503, try again in a moment."""

    def __init__(self) -> None:
        super().__init__({"form": Problem(NOTHING_STORED)})
