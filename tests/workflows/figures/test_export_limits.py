"""A worker's PDF queue: so many made at once, so many waiting, the rest refused at once."""

from __future__ import annotations

import asyncio
import time

import pytest

from workflows.figures import pdf
from workflows.figures.export_limits import PdfQueue, QueueFull


async def test_one_renders_one_waits_and_a_third_is_refused_at_once():
    queue = PdfQueue(renders=1, waiting=1, wait_seconds=0.3)
    order: list[str] = []
    rendering, release = asyncio.Event(), asyncio.Event()

    async def render(name: str) -> None:
        async with queue.turn():
            order.append(name)
            rendering.set()
            await release.wait()

    first = asyncio.create_task(render("first"))
    await rendering.wait()
    second = asyncio.create_task(render("second"))
    await asyncio.sleep(0.01)  # in the queue now
    started = time.monotonic()
    with pytest.raises(QueueFull) as full:
        async with queue.turn():
            pass
    assert time.monotonic() - started < 0.05
    assert full.value.problem.params == {"renders": 1, "waiting": 1}
    release.set()
    await asyncio.gather(first, second)
    assert order == ["first", "second"]  # the one waiting got its turn


async def test_a_turn_that_does_not_come_in_time_is_refused_and_frees_its_place():
    queue = PdfQueue(renders=1, waiting=1, wait_seconds=0.1)
    async with queue.turn():
        with pytest.raises(pdf.Busy) as busy:
            async with queue.turn():
                pass
        assert not isinstance(busy.value, QueueFull)
        with pytest.raises(pdf.Busy) as again:  # its place is free again: it waited its turn
            async with queue.turn():
                pass
        assert not isinstance(again.value, QueueFull)
    async with queue.turn():  # and the queue works on
        pass
