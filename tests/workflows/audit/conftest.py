"""The audit tests run the sequencer themselves, step by step."""

from __future__ import annotations

import asyncio

import pytest
from starlette.applications import Starlette

from workflows.audit.sequencer import LogSequencer


@pytest.fixture
async def app(app: Starlette) -> Starlette:
    """The app without its background sequencer: a test decides when events are integrated.
    Its loop is stopped, and its round in progress finished, before the test writes anything."""
    app.state.intake.sequencer.stop()
    await asyncio.gather(*(task for task in asyncio.all_tasks()
                           if task.get_name() == LogSequencer.__name__))
    return app
