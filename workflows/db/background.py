"""Work every `intake serve` worker repeats against the shared database — delivering the outbox,
sequencing the audit log: a round, then sleep until woken or the poll interval, until stopped.
The database, not the process, decides who does what, so any number of workers may run it."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod


class Repeating(ABC):
    poll_seconds: float
    log: logging.Logger

    def __init__(self, poll_seconds: float) -> None:
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._stopping = False

    @abstractmethod
    async def run_once(self) -> int:
        """One round; how much it did (0: nothing to do, sleep until the next poll)."""

    def wake(self) -> None:
        """Run a round now rather than at the next poll (e.g. right after a report)."""
        self._wake.set()

    async def run_forever(self) -> None:
        """Until `stop()`: run rounds while they find work, then sleep."""
        loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                done = await self.run_once()
            except Exception:  # a database hiccup must not stop the work for good
                self.log.exception("%s: a round failed, trying again shortly",
                                   type(self).__name__)
                done = 0
            if done or self._stopping:
                continue
            self._wake.clear()
            # A timer sets the same event as wake() and stop(). No asyncio.timeout or wait_for
            # here: on Python 3.11 both can lose a cancellation, and shutdown would hang.
            timer = loop.call_later(self.poll_seconds, self._wake.set)
            try:
                await self._wake.wait()
            finally:
                timer.cancel()

    def stop(self) -> None:
        """Finish the current round and return from run_forever()."""
        self._stopping = True
        self._wake.set()
