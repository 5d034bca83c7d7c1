"""`intake serve` (with `--demo`: demonstration accounts and cases), `intake migrate` and
`intake check-config`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from intake.cli.common import LOCAL_HOSTS, run_with_database

if TYPE_CHECKING:
    from intake.settings import Settings

DEMO_ACCOUNTS = (
    ("officer@demo.intake", "officer", None),
    ("qltt.lead@demo.intake", "lead", "qltt"),
    ("qltt.inspector@demo.intake", "inspector", "qltt"),
    ("khcn.inspector@demo.intake", "inspector", "khcn"),
    ("bvntd.inspector@demo.intake", "inspector", "bvntd"),
    ("syt.inspector@demo.intake", "inspector", "syt"),
    ("snnmt.inspector@demo.intake", "inspector", "snnmt"),
    ("pc03.lead@demo.intake", "lead", "pc03"),
    ("analyst@demo.intake", "analyst", None),
    ("committee@demo.intake", "committee", None),
    ("admin@demo.intake", "admin", None),
)
DEMO_CASES = 3000  # enough for the queue, the statistics and open data to show something
SWEEP_MIN_AGE_MINUTES = 60  # far longer than any one report takes to file


def register(commands: Any) -> None:
    serve_parser = commands.add_parser("serve", help="apply migrations and run the web service")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--workers", type=int, default=1)
    serve_parser.add_argument("--demo", action="store_true",
                              help="create demo staff accounts and print how to sign in")
    serve_parser.set_defaults(handler=serve)
    commands.add_parser("migrate", help="apply pending database migrations").set_defaults(
        handler=migrate)
    commands.add_parser("check-config", help="check the files in config/").set_defaults(
        handler=check_config)


def _demo_password(settings: Settings) -> str:
    """One generated password for the demo accounts, kept in the data dir."""
    path = settings.data_dir / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


async def _demo(settings: Settings, password: str) -> int:
    """The demo accounts (once), and demonstration cases in an empty database."""
    from workflows.access.accounts import AccountError, create_user
    from workflows.cases.demo import DemoOptions, insert_demo_cases
    from workflows.reference.loading import load_reference

    reference = load_reference(settings.config_dir)
    for email, role, agency in DEMO_ACCOUNTS:
        if agency is None or agency in reference.agencies:
            with contextlib.suppress(AccountError):  # already there
                await create_user(email, password, role, agency, set(reference.agencies),
                                  name=email.split("@")[0])
    return await insert_demo_cases(reference, DemoOptions(DEMO_CASES), only_if_empty=True)


def _print_addresses(settings: Settings, address: str, workers: int) -> None:
    print(f"Intake is starting on {address} (database: {settings.database_kind}, "
          f"data: {settings.data_dir})")
    print(f"  Citizens' report form:  {address}/report")
    print(f"  Follow a report:        {address}/track")
    print(f"  Open311 API:            {address}/open311/v2/services.json")
    print(f"  Back office:            {address}/staff/login")
    print(f"  Open data:              {address}/open-data")
    if settings.database_kind == "sqlite" and workers > 1:
        print("  Note: SQLite serialises writes; use PostgreSQL for several workers.")
    if settings.smtp.configured:
        print(f"  Mail goes out through {settings.smtp.host}:{settings.smtp.port} "
              f"({settings.smtp.tls}).")
    else:
        print("  WARNING: INTAKE_SMTP_HOST is not set: alerts are queued, NOT sent, until it is.")
    for warning in _outside_warnings(settings):
        print(f"  WARNING: {warning}")


def _outside_warnings(settings: Settings) -> list[str]:
    """What makes mail and SMS that do go out look wrong to those who get them: links to this
    machine, and a sender at localhost (the 'is this mail genuine?' line names both)."""
    if not (settings.smtp.configured or settings.sms.gateway.configured):
        return []
    found = []
    if urlsplit(settings.base_url).hostname in LOCAL_HOSTS:
        found.append(f"INTAKE_BASE_URL is {settings.base_url}: the links in mail and SMS, and "
                     "the line telling readers how to check a mail is genuine, name this "
                     "machine. Set the service's public address.")
    if settings.smtp.configured and settings.smtp.from_domain in LOCAL_HOSTS:
        found.append(f"INTAKE_MAIL_FROM is {settings.smtp.mail_from}: mail comes from "
                     "localhost, which receivers mark as spam. Set the service's address.")
    return found


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from intake.settings import Settings, store_for
    from workflows.db.config import apply_migrations
    from workflows.evidence.sweep import sweep_orphans
    from workflows.reference.agreement import disagreements
    from workflows.reference.loading import load_reference

    address = f"http://{args.host}:{args.port}"
    if "INTAKE_BASE_URL" not in os.environ:
        # Unset, the links in mail, SMS and the Open311 discovery point where this server
        # answers (the workers read the same setting), not at a port it does not listen on.
        here = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
        os.environ["INTAKE_BASE_URL"] = f"http://{here}:{args.port}"
    settings = Settings.from_env()
    # A broken file stops here, with its line.
    reference = load_reference(settings.config_dir).read_in_full()
    for disagreement in disagreements(reference):
        print(f"  WARNING: {disagreement}")
    asyncio.run(apply_migrations(settings.database_url))
    swept = run_with_database(settings, lambda: sweep_orphans(
        store_for(settings), SWEEP_MIN_AGE_MINUTES * 60))
    if swept:
        print(f"Removed {swept:,} attachment files left by an earlier crash.")
    if args.demo:
        password = _demo_password(settings)
        if added := run_with_database(settings, lambda: _demo(settings, password)):
            print(f"Added {added:,} demonstration cases (two years) to the empty database.")
        print("Demo staff accounts (password for all: " + password + "):")
        for email, role, agency in DEMO_ACCOUNTS:
            print(f"  {email:32} {role}{' of ' + agency if agency else ''}")
        print(f"  Sign in at {address}/staff/login")
    _print_addresses(settings, address, args.workers)
    sys.stdout.flush()
    uvicorn.run("intake.app:create_app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, proxy_headers=True, log_level="info")
    return 0


def migrate(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.db.config import apply_migrations

    settings = Settings.from_env()
    asyncio.run(apply_migrations(settings.database_url))
    print("Database schema is up to date.")
    return 0


def check_config(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.reference.agreement import disagreements
    from workflows.reference.loading import load_reference

    settings = Settings.from_env()
    reference = load_reference(settings.config_dir).read_in_full()  # every file, as serve does
    found = disagreements(reference)
    for disagreement in found:
        print(f"WARNING: {disagreement}")
    print(f"{settings.config_dir}: {len(reference.agencies)} agencies, "
          f"{len(reference.rules)} routing rules, {len(reference.places.communes)} communes: "
          + ("check the warnings above" if found else "OK"))
    return 0
