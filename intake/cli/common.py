"""What every command that touches the database does: read the settings, open the database,
run, close."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake.settings import Settings

# A machine's own names: in a link or a mail going out, they send the reader nowhere.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def run_with_database(settings: Settings, action: Callable[[], Awaitable[int]]) -> int:
    from workflows.db.config import run_with_tortoise

    return asyncio.run(run_with_tortoise(settings.database_url, action))
