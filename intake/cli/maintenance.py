"""`intake attachments sweep` and `intake demo`: keeping the data clean, and (for trials)
plentiful."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from intake.cli.common import run_with_database
from intake.cli.serve import SWEEP_MIN_AGE_MINUTES


def register(commands: Any) -> None:
    demo_parser = commands.add_parser(
        "demo", help="insert realistic demonstration cases in bulk (for trials and benchmarks)")
    demo_parser.add_argument("--cases", type=int, required=True, help="how many cases to add")
    demo_parser.add_argument("--seed", type=int, default=2026, help="the same seed, the same data")
    demo_parser.add_argument("--progress", action="store_true",
                             help="show progress even when standard error is not a terminal")
    demo_parser.set_defaults(handler=demo)

    attachments = commands.add_parser("attachments", help="stored evidence files")
    attachment_commands = attachments.add_subparsers(dest="attachments_command", required=True)
    sweep_parser = attachment_commands.add_parser(
        "sweep", help="remove files left by a crash before their case was stored")
    sweep_parser.add_argument("--min-age-minutes", type=float, default=SWEEP_MIN_AGE_MINUTES,
                              help="leave younger files alone: they may be being filed now")
    sweep_parser.set_defaults(handler=attachments_sweep)


def attachments_sweep(args: argparse.Namespace) -> int:
    from intake.settings import Settings, store_for
    from workflows.evidence.sweep import sweep_orphans

    settings = Settings.from_env()

    async def sweep() -> int:
        removed = await sweep_orphans(store_for(settings), args.min_age_minutes * 60)
        print(f"Removed {removed:,} attachment files that no case refers to.")
        return 0

    return run_with_database(settings, sweep)


def demo(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.cases.demo import DemoOptions, insert_demo_cases
    from workflows.db.config import apply_migrations
    from workflows.reference.loading import load_reference

    settings = Settings.from_env()
    reference = load_reference(settings.config_dir)
    asyncio.run(apply_migrations(settings.database_url))
    started = time.perf_counter()

    def progress(done: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(f"\r  {done:,} / {args.cases:,} cases ({rate:,.0f}/s)", end="", file=sys.stderr,
              flush=True)

    async def insert() -> int:
        count = await insert_demo_cases(reference, DemoOptions(args.cases, seed=args.seed),
                                        progress if sys.stderr.isatty() or args.progress else None)
        print(f"\nInserted {count:,} demonstration cases in "
              f"{time.perf_counter() - started:.1f} s ({settings.database_kind}).")
        return 0

    return run_with_database(settings, insert)
