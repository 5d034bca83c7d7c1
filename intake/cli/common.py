"""What every command that touches the database does: read the settings, open the database,
run, close."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake.settings import Settings

# True in the installed `intake` command's own process (intake.cli.run); False when a test
# calls main() in its process, whose objects must stay collectable.
OWN_PROCESS = False
# A machine's own names: in a link or a mail going out, they send the reader nowhere.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def run_with_database(settings: Settings, action: Callable[[], Awaitable[int]]) -> int:
    from workflows.db.config import run_with_tortoise

    if OWN_PROCESS:
        # What is imported and read by now lives until the command exits: out of the
        # collector's sight, the collections that the work's many objects set off walk only
        # those (a yearly report's tallies: 30 ms of it).
        gc.freeze()
    return asyncio.run(run_with_tortoise(settings.database_url, action))
