"""The `intake` command: serve, migrate, check the configuration, the audit trail, the outbox."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import getpass
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import uvicorn
from tortoise import Tortoise

from intake.app import create_outbox_sender
from intake.settings import Settings, SettingsError, store_for
from workflows.access.accounts import ROLES, AccountError, create_user, set_active
from workflows.audit.log import Actor
from workflows.audit.verify import verify_chain
from workflows.cases.demo import DemoOptions, insert_demo_cases
from workflows.cases.models import Case
from workflows.db.config import apply_migrations, ensure_database_dir, tortoise_config
from workflows.evidence.sweep import sweep_orphans
from workflows.figures import files, line_list, statistics
from workflows.i18n.formatting import VIETNAM
from workflows.mail.notifications import Notifier
from workflows.mail.outbox import outbox_status, requeue_failed
from workflows.mail.sender import OutboxSender
from workflows.reference.loading import ReferenceData, load_reference
from workflows.reference.reporting import Period, PeriodError, ReportingCalendar, date_range
from workflows.reference.tomlfile import ConfigError


def _settings_and_reference() -> Settings:
    settings = Settings.from_env()
    load_reference(settings.config_dir)
    return settings


DEMO_ACCOUNTS = (
    ("officer@demo.intake", "officer", None),
    ("qltt.lead@demo.intake", "lead", "qltt"),
    ("qltt.inspector@demo.intake", "inspector", "qltt"),
    ("khcn.inspector@demo.intake", "inspector", "khcn"),
    ("bvntd.inspector@demo.intake", "inspector", "bvntd"),
    ("analyst@demo.intake", "analyst", None),
    ("admin@demo.intake", "admin", None),
)


SWEEP_MIN_AGE_MINUTES = 60  # far longer than any one report takes to file
DEMO_CASES = 3000  # enough for the queue, the statistics and open data to show something


def _demo_password(settings: Settings) -> str:
    """One generated password for the demo accounts, kept in the data dir."""
    path = settings.data_dir / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


async def _ensure_demo_accounts(settings: Settings, password: str) -> None:
    agencies = set(load_reference(settings.config_dir).agencies)
    for email, role, agency in DEMO_ACCOUNTS:
        if agency is None or agency in agencies:
            with contextlib.suppress(AccountError):  # already there
                await create_user(email, password, role, agency, agencies, name=email.split("@")[0])


def serve(args: argparse.Namespace) -> int:
    settings = _settings_and_reference()
    asyncio.run(apply_migrations(settings.database_url))
    address = f"http://{args.host}:{args.port}"
    swept = asyncio.run(_with_database(settings, lambda: sweep_orphans(
        store_for(settings), SWEEP_MIN_AGE_MINUTES * 60)))
    if swept:
        print(f"Removed {swept:,} attachment files left by an earlier crash.")
    if args.demo:
        password = _demo_password(settings)

        async def ensure() -> int:
            await _ensure_demo_accounts(settings, password)
            if await Case.exists():
                return 0
            return await insert_demo_cases(load_reference(settings.config_dir),
                                           DemoOptions(DEMO_CASES))

        if added := asyncio.run(_with_database(settings, ensure)):
            print(f"Added {added:,} demonstration cases (two years) to the empty database.")
        print("Demo staff accounts (password for all: " + password + "):")
        for email, role, agency in DEMO_ACCOUNTS:
            print(f"  {email:32} {role}{' of ' + agency if agency else ''}")
        print(f"  Sign in at {address}/staff/login")
    print(f"Intake is starting on {address} (database: {settings.database_kind}, "
          f"data: {settings.data_dir})")
    print(f"  Citizens' report form:  {address}/report")
    print(f"  Follow a report:        {address}/track")
    print(f"  Open311 API:            {address}/open311/v2/services.json")
    print(f"  Back office:            {address}/staff/login")
    print(f"  Open data:              {address}/open-data")
    if settings.database_kind == "sqlite" and args.workers > 1:
        print("  Note: SQLite serialises writes; use PostgreSQL for several workers.")
    if settings.smtp.configured:
        print(f"  Mail goes out through {settings.smtp.host}:{settings.smtp.port} "
              f"({settings.smtp.tls}).")
    else:
        print("  WARNING: INTAKE_SMTP_HOST is not set: alerts are queued, NOT sent, until it is.")
    sys.stdout.flush()
    uvicorn.run("intake.app:create_app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, proxy_headers=True, log_level="info")
    return 0


def migrate(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    asyncio.run(apply_migrations(settings.database_url))
    print("Database schema is up to date.")
    return 0


def check_config(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    reference = load_reference(settings.config_dir)
    print(f"{settings.config_dir}: {len(reference.agencies)} agencies, "
          f"{len(reference.rules)} routing rules, {len(reference.places.communes)} communes: OK")
    return 0


async def _with_database(settings: Settings, action: Callable[[], Awaitable[int]]) -> int:
    ensure_database_dir(settings.database_url)
    await Tortoise.init(config=tortoise_config(settings.database_url),
                        _enable_global_fallback=True)
    try:
        return await action()
    finally:
        await Tortoise.close_connections()


def audit_verify(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def verify() -> int:
        report = await verify_chain()
        if report.intact:
            print(f"Audit trail intact: {report.events_checked} events verified.")
            return 0
        print(f"AUDIT TRAIL BROKEN at event {report.broken_seq}: {report.problem} "
              f"({report.events_checked} events before it verified).", file=sys.stderr)
        return 1

    return asyncio.run(_with_database(settings, verify))


def attachments_sweep(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def sweep() -> int:
        removed = await sweep_orphans(store_for(settings), args.min_age_minutes * 60)
        print(f"Removed {removed:,} attachment files that no case refers to.")
        return 0

    return asyncio.run(_with_database(settings, sweep))


def _outbox_sender(settings: Settings) -> OutboxSender:
    reference = load_reference(settings.config_dir)
    return create_outbox_sender(settings, Notifier(settings.base_url, reference))


def outbox_run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not settings.smtp.configured:
        print("intake: INTAKE_SMTP_HOST is not set: nothing can be sent.", file=sys.stderr)
        return 2
    sender = _outbox_sender(settings)

    async def run() -> int:
        if args.once:
            print(f"{await sender.run_until_idle()} messages attempted.")
        else:
            print(f"Sending mail through {settings.smtp.host}:{settings.smtp.port}; "
                  "Ctrl+C to stop.")
            await sender.run_forever()
        return 0

    try:
        return asyncio.run(_with_database(settings, run))
    except KeyboardInterrupt:
        return 0


def outbox_status_command(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def show() -> int:
        status = await outbox_status()
        print(f"pending: {status.pending}  sent: {status.sent}  failed: {status.failed}")
        if status.last_error:
            print(f"last error: {status.last_error}")
        if not settings.smtp.configured and status.pending:
            print("INTAKE_SMTP_HOST is not set: pending mail waits until it is.")
        return 1 if status.failed else 0

    return asyncio.run(_with_database(settings, show))


def outbox_retry(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def retry() -> int:
        count = await requeue_failed(args.ids or None)
        print(f"{count} failed messages queued again.")
        return 0

    return asyncio.run(_with_database(settings, retry))


def create_user_command(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    reference = load_reference(settings.config_dir)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            print("intake: the two passwords differ", file=sys.stderr)
            return 2

    async def create() -> int:
        try:
            user = await create_user(args.email, password, args.role, args.agency,
                                     set(reference.agencies), name=args.name)
        except AccountError as error:
            print(f"intake: {error}", file=sys.stderr)
            return 2
        where = f" of {user.agency_code}" if user.agency_code else ""
        print(f"Created {user.role}{where}: {user.email}")
        return 0

    return asyncio.run(_with_database(settings, create))


def set_active_command(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def change() -> int:
        try:
            user = await set_active(args.email, args.command == "enable-user")
        except AccountError as error:
            print(f"intake: {error}", file=sys.stderr)
            return 2
        print(f"{user.email} is now {'enabled' if user.active else 'disabled (signed out everywhere)'}.")
        return 0

    return asyncio.run(_with_database(settings, change))


def demo_command(args: argparse.Namespace) -> int:
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

    return asyncio.run(_with_database(settings, insert))


def _export_period(args: argparse.Namespace, calendar: ReportingCalendar) -> Period:
    if args.period and (args.date_from or args.date_to):
        raise PeriodError("give either --period or --from/--to, not both")
    if args.period:
        return calendar.period(args.period, args.cutoff)
    if not (args.date_from and args.date_to):
        raise PeriodError("give --period (2026-10, 2026-Q3, 2026-H1, 2026) or --from and --to")
    try:
        first, last = dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to)
    except ValueError:
        raise PeriodError("--from and --to are dates such as 2026-10-01") from None
    return date_range(first, last)


def export_command(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    reference = load_reference(settings.config_dir)
    try:
        period = _export_period(args, reference.calendar)
    except PeriodError as error:
        print(f"intake: {error}", file=sys.stderr)
        return 2
    if args.agency and args.agency not in reference.agencies:
        print(f"intake: unknown agency {args.agency!r} (known: "
              f"{', '.join(sorted(reference.agencies))})", file=sys.stderr)
        return 2
    if args.detail and args.format == "xlsx":
        print("intake: the line list is written as CSV or JSON lines", file=sys.stderr)
        return 2
    extension = "jsonl" if args.detail and args.format == "json" else args.format
    target = args.out or Path(files.file_name(period, args.agency, extension, args.detail))

    async def write() -> int:
        if args.detail:
            count = await _write_detail(period, args.agency, reference, args.format,
                                        target)
            print(f"Wrote {count:,} cases to {target}")
        else:
            started = time.perf_counter()
            print(f"Counting {period.label} and {period.previous().label} in the database…",
                  end="", file=sys.stderr, flush=True)
            report = await statistics.report(period, args.agency)
            print(f" {time.perf_counter() - started:.1f} s", file=sys.stderr)
            target.write_bytes(files.render_report(
                report, reference.agencies, reference.translator("vi"), args.format, dt.datetime.now(VIETNAM).date()))
            print(f"Wrote {period.label} ({period.first_day:%d/%m/%Y}–"
                  f"{period.last_day:%d/%m/%Y}) to {target}")
        await files.record_export(Actor("system", "cli"), period, args.agency, args.format,
                                    args.detail)
        return 0

    return asyncio.run(_with_database(settings, write))


async def _write_detail(period: Period, agency: str | None, reference: ReferenceData,
                        file_format: str, target: Path) -> int:
    count, started = -1 if file_format == "csv" else 0, time.perf_counter()  # the CSV header
    with target.open("w", encoding="utf-8", newline="") as out:
        async for line in line_list.lines(period, agency, reference.agencies,
                                          reference.translator("vi"), file_format):
            out.write(line)
            count += 1
            if count and count % 50_000 == 0:
                print(f"\r  {count:,} cases ({count / (time.perf_counter() - started):,.0f}/s)",
                      end="", file=sys.stderr, flush=True)
    if count >= 50_000:
        print(file=sys.stderr)
    return count


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="apply migrations and run the web service")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--workers", type=int, default=1)
    serve_parser.add_argument("--demo", action="store_true",
                              help="create demo staff accounts and print how to sign in")
    serve_parser.set_defaults(handler=serve)

    demo_parser = commands.add_parser(
        "demo", help="insert realistic demonstration cases in bulk (for trials and benchmarks)")
    demo_parser.add_argument("--cases", type=int, required=True, help="how many cases to add")
    demo_parser.add_argument("--seed", type=int, default=2026, help="the same seed, the same data")
    demo_parser.add_argument("--progress", action="store_true",
                             help="show progress even when standard error is not a terminal")
    demo_parser.set_defaults(handler=demo_command)

    export = commands.add_parser(
        "export", help="statistics for a period, or the case line list (--detail)")
    export.add_argument("--period", help="2026-10, 2026-Q3, 2026-H1 or 2026")
    export.add_argument("--from", dest="date_from", help="first day, e.g. 2026-10-01")
    export.add_argument("--to", dest="date_to", help="last day, e.g. 2026-10-31")
    export.add_argument("--format", choices=sorted(files.FORMATS), default="xlsx")
    export.add_argument("--out", type=Path, help="file to write (default: a name in .)")
    export.add_argument("--agency", help="only this agency's cases")
    export.add_argument("--cutoff", type=int, help="reporting cut-off day (default: config/)")
    export.add_argument("--detail", action="store_true",
                        help="one row per case, without reporter data or descriptions")
    export.set_defaults(handler=export_command)

    commands.add_parser("migrate", help="apply pending database migrations").set_defaults(
        handler=migrate)
    commands.add_parser("check-config", help="check the files in config/").set_defaults(
        handler=check_config)

    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_commands.add_parser("verify", help="check that the hash chain is whole").set_defaults(
        handler=audit_verify)

    user_parser = commands.add_parser("create-user", help="create a staff account")
    user_parser.add_argument("email")
    user_parser.add_argument("--role", required=True, choices=ROLES)
    user_parser.add_argument("--agency", help="agency code, for a lead or an inspector")
    user_parser.add_argument("--name", default="")
    user_parser.add_argument("--password-stdin", action="store_true",
                             help="read the password from the first line of standard input")
    user_parser.set_defaults(handler=create_user_command)
    for verb in ("disable-user", "enable-user"):
        toggle = commands.add_parser(verb, help=f"{verb.split('-')[0]} a staff account")
        toggle.add_argument("email")
        toggle.set_defaults(handler=set_active_command)

    attachments = commands.add_parser("attachments", help="stored evidence files")
    attachment_commands = attachments.add_subparsers(dest="attachments_command", required=True)
    sweep_parser = attachment_commands.add_parser(
        "sweep", help="remove files left by a crash before their case was stored")
    sweep_parser.add_argument("--min-age-minutes", type=float, default=SWEEP_MIN_AGE_MINUTES,
                              help="leave younger files alone: they may be being filed now")
    sweep_parser.set_defaults(handler=attachments_sweep)

    outbox = commands.add_parser("outbox", help="the email outbox")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", required=True)
    run_parser = outbox_commands.add_parser("run", help="send queued mail (also runs in serve)")
    run_parser.add_argument("--once", action="store_true", help="send what is due, then exit")
    run_parser.set_defaults(handler=outbox_run)
    outbox_commands.add_parser(
        "status", help="pending, sent and failed counts; exits 1 if any failed").set_defaults(
        handler=outbox_status_command)
    retry_parser = outbox_commands.add_parser("retry", help="queue failed messages again")
    retry_parser.add_argument("ids", nargs="*", type=int, help="only these message ids")
    retry_parser.set_defaults(handler=outbox_retry)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (SettingsError, ConfigError) as exc:
        print(f"intake: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
