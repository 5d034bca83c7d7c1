"""What downloads of the figures may cost: so many per staff account per hour
(INTAKE_EXPORT_RATE_LIMIT, counted in the shared rate counters of workflows.access.limits, so
every worker and a restart see one count), and so many PDFs rendered at once per worker with a
short queue behind them (INTAKE_PDF_RENDERS, INTAKE_PDF_QUEUE).

Each download counts its period in the database and a PDF keeps LibreOffice on a CPU for
seconds: 44 parallel PDFs from one read-only account once held the machine for 46 s and
/healthz for 5 s. A request beyond the queue is refused at once instead of waiting in a thread
for a turn; the machine-wide slots of workflows.figures.pdf still share the CPUs between
workers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from workflows.access.limits import Allowance, RateLimited, spend
from workflows.figures import pdf
from workflows.i18n.formatting import format_datetime
from workflows.i18n.messages import N_, Problem

TOO_MANY_EXPORTS = N_("This account has taken {limit} downloads in the last hour, the most an "
                      "account may. Please try again after {time}.")
QUEUE_FULL = N_("Too many PDFs are being made right now ({renders} at a time, {waiting} "
                "waiting): try again in a minute, or download the XLSX, which prints the same.")
RETRY_SECONDS = 60  # what a refused PDF is told: about one render and a queue's worth


class ExportsUsedUp(RateLimited):
    """The account's downloads of the hour are used up; `problem` names the limit."""

    def __init__(self, limited: RateLimited, per_hour: int) -> None:
        super().__init__(limited.retry_at, TOO_MANY_EXPORTS)
        self.problem = Problem(TOO_MANY_EXPORTS, {"limit": per_hour,
                                                  "time": format_datetime(limited.retry_at)})


def export_allowance(per_hour: int) -> Allowance:
    return Allowance("export", per_hour, TOO_MANY_EXPORTS)


async def charge_export(allowance: Allowance, account_id: int) -> None:
    """One download by this staff account, or ExportsUsedUp (counting nothing)."""
    try:
        await spend(allowance, f"account:{account_id}")
    except RateLimited as limited:
        raise ExportsUsedUp(limited, allowance.per_hour) from None


class QueueFull(pdf.Busy):
    """Every rendering place and every waiting place of this worker is taken."""

    def __init__(self, renders: int, waiting: int) -> None:
        super().__init__(f"{renders} PDFs are being made and {waiting} wait: try again soon")
        self.problem = Problem(QUEUE_FULL, {"renders": renders, "waiting": waiting})


class PdfQueue:
    """At most `renders` PDFs made at once by this worker and `waiting` more waiting their turn
    (each up to `wait_seconds`, then pdf.Busy); any other is QueueFull at once."""

    def __init__(self, renders: int, waiting: int,
                 wait_seconds: float = pdf.WAIT_FOR_SLOT_SECONDS) -> None:
        self.renders, self.waiting, self.wait_seconds = renders, waiting, wait_seconds
        self._inside = 0  # rendering or waiting; one event loop per worker, so no lock
        self._turns = asyncio.Semaphore(renders)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        if self._inside >= self.renders + self.waiting:
            raise QueueFull(self.renders, self.waiting)
        self._inside += 1
        try:
            try:
                async with asyncio.timeout(self.wait_seconds):
                    await self._turns.acquire()
            except TimeoutError:
                raise pdf.Busy(f"no turn to make a PDF came in {self.wait_seconds:g} s") from None
            try:
                yield
            finally:
                self._turns.release()
        finally:
            self._inside -= 1
