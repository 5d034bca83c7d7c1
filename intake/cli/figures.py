"""`intake export`: a period's statistics as a file, or the case line list (`--detail`).
Files are Vietnamese, as the steering committee receives them."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from intake.cli.common import LOCAL_HOSTS, run_with_database

if TYPE_CHECKING:
    from workflows.reference.loading import ReferenceData
    from workflows.reference.reporting import Period, ReportingCalendar

FORMATS = ("csv", "json", "xlsx", "docx", "pdf")
FILE_LANGUAGE = "vi"


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export", help="statistics for a period, or the case line list (--detail)")
    export.add_argument("--period", help="2026-10, 2026-Q3, 2026-H1, 2026 or bao-cao-nam:2026")
    export.add_argument("--report", help="a report of config/reporting.toml, e.g. bao-cao-nam")
    export.add_argument("--year", type=int, help="the year of --report")
    export.add_argument("--from", dest="date_from", help="first day, e.g. 2026-10-01")
    export.add_argument("--to", dest="date_to", help="last day, e.g. 2026-10-31")
    export.add_argument("--format", choices=FORMATS, default="xlsx")
    export.add_argument("--out", type=Path, help="file to write (default: a name in .)")
    export.add_argument("--agency", help="only this agency's cases")
    export.add_argument("--cutoff", type=int, help="reporting cut-off day (default: config/)")
    export.add_argument("--detail", action="store_true",
                        help="one row per case, without reporter data or descriptions")
    export.set_defaults(handler=export_command)


def _period(args: argparse.Namespace, calendar: ReportingCalendar) -> Period:
    from workflows.reference.reporting import PeriodError, date_range

    if sum(bool(given) for given in (args.period, args.date_from or args.date_to,
                                     args.report)) > 1:
        raise PeriodError("give one of --period, --report with --year, or --from/--to")
    if args.report:
        if args.year is None:
            raise PeriodError("--report needs --year, e.g. --report bao-cao-nam --year 2026")
        if args.cutoff is not None:
            raise PeriodError("--cutoff does not apply to a named report: its days are set in "
                              "config/reporting.toml")
        return calendar.named(args.report, args.year)
    if args.year is not None:
        raise PeriodError("--year goes with --report, e.g. --report bao-cao-nam --year 2026; "
                          "for a calendar year write --period 2026")
    if args.period:
        return calendar.period(args.period, args.cutoff)
    if not (args.date_from and args.date_to):
        raise PeriodError("give --period (2026-10, 2026-Q3, 2026-H1, 2026) or --from and --to")
    try:
        first, last = dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to)
    except ValueError:
        raise PeriodError("--from and --to are dates such as 2026-10-01") from None
    return date_range(first, last)


def _refusal(args: argparse.Namespace, reference: ReferenceData) -> str | None:
    if args.agency and args.agency not in reference.agencies:
        return (f"unknown agency {args.agency!r} (known: "
                f"{', '.join(sorted(reference.agencies))})")
    from workflows.figures.files import download

    if download(args.format, args.detail) is None:
        return "the line list is written as CSV or JSON lines"
    return None


def export_command(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.audit.log import Actor
    from workflows.figures import files, pdf
    from workflows.reference.loading import load_reference
    from workflows.reference.reporting import PeriodError

    settings = Settings.from_env()
    reference = load_reference(settings.config_dir)
    try:
        period = _period(args, reference.calendar)
    except PeriodError as error:
        print(f"intake: {error}", file=sys.stderr)
        return 2
    if refusal := _refusal(args, reference):
        print(f"intake: {refusal}", file=sys.stderr)
        return 2
    extension, _ = files.download(args.format, args.detail) or (args.format, "")
    target = args.out or Path(files.file_name(period, args.agency, extension, args.detail))

    async def write() -> int:
        await files.record_export(Actor("system", "cli"), period, args.agency, args.format,
                                  args.detail)
        if args.detail:
            count = await _write_detail(period, args.agency, reference, args.format, target)
            print(f"Wrote {count:,} cases to {target}")
        else:
            checkpoint = await files.latest_checkpoint_note()
            # The note's first line is the log's origin: host[:port]/audit.
            origin = checkpoint.split("/", 1)[0]
            if origin and urlsplit(f"//{origin}").hostname in LOCAL_HOSTS:
                print(f"WARNING: the audit checkpoint in the file names this machine "
                      f"({origin}): readers cannot check it there. Run the service with "
                      "INTAKE_BASE_URL set to its public address.", file=sys.stderr)
            try:  # the latest signed checkpoint: a file signs none of its own
                await _write_report(period, args.agency, reference, args.format, target,
                                    checkpoint)
            except pdf.Unavailable as missing:
                print(f"\nintake: {missing}", file=sys.stderr)
                return 2
        return 0

    return run_with_database(settings, write)


async def _write_report(period: Period, agency: str | None, reference: ReferenceData,
                        file_format: str, target: Path, checkpoint: str) -> None:
    from workflows.figures import files
    from workflows.i18n.formatting import VIETNAM
    from workflows.reference.reporting import period_span, period_title

    words = reference.translator(FILE_LANGUAGE)
    started = time.perf_counter()
    print(f"Counting {period_title(period, words)} and {period_title(period.previous(), words)} "
          f"in the database…", end="", file=sys.stderr, flush=True)
    body = await files.report_file(period, agency, reference, words, file_format,
                                   dt.datetime.now(VIETNAM).date(), checkpoint)
    print(f" {time.perf_counter() - started:.1f} s", file=sys.stderr)
    target.write_bytes(body)
    print(f"Wrote {period_title(period, words)} ({period_span(period)}) to {target}")


async def _write_detail(period: Period, agency: str | None, reference: ReferenceData,
                        file_format: str, target: Path) -> int:
    from workflows.figures import line_list

    count, started = -1 if file_format == "csv" else 0, time.perf_counter()  # the CSV header
    with target.open("w", encoding="utf-8", newline="") as out:
        async for line in line_list.lines(period, agency, reference.agencies,
                                          reference.translator(FILE_LANGUAGE), file_format):
            out.write(line)
            count += 1
            if count and count % 50_000 == 0:
                print(f"\r  {count:,} cases ({count / (time.perf_counter() - started):,.0f}/s)",
                      end="", file=sys.stderr, flush=True)
    if count >= 50_000:
        print(file=sys.stderr)
    return count
