"""`intake audit integrate | verify | key`: the transparency log from the operator's side."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from intake.cli.common import run_with_database


def register(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the audit trail and its transparency log")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_commands.add_parser(
        "integrate", help="give pending events their places in the log and sign a checkpoint now"
    ).set_defaults(handler=integrate)
    verify_parser = audit_commands.add_parser(
        "verify", help="rebuild the log from the events and check it against every checkpoint")
    verify_parser.add_argument(
        "--checkpoint", type=Path, action="append", default=[], metavar="FILE",
        help="a signed checkpoint kept outside (a witness's copy, a printed export); repeatable")
    verify_parser.add_argument(
        "--key", metavar="VKEY",
        help="the verifier key you trust (name+hash+key, as /audit/key published it); "
             "default: this installation's current key")
    verify_parser.set_defaults(handler=verify)
    audit_commands.add_parser(
        "key", help="print the log's verifier key, to publish or give to witnesses"
    ).set_defaults(handler=key)


def integrate(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.audit.sequencer import run_sequencer, signed_now

    settings = Settings.from_env()

    async def work() -> int:
        signer = settings.audit_signer()
        run = await run_sequencer(signer, force=True, wait=True,
                                  clock_skew=settings.audit_clock_skew)
        assert run is not None, "with wait=True the sequencer always runs"
        print(f"Integrated {run.integrated:,} events; the log holds {run.size:,}.")
        if run.refused is not None:
            print(f"REFUSED: {run.refused.reason}", file=sys.stderr)
        # The latest, new or not: the last good head when the sequencer refused to sign.
        print((await signed_now(signer, clock_skew=settings.audit_clock_skew)).note, end="")
        return 0 if run.refused is None else 1

    return run_with_database(settings, work)


def verify(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.audit.notes import Checkpoint, NoteError, Verifier, signature_keys
    from workflows.audit.verify import MAX_LISTED, held_note, verify_log

    settings = Settings.from_env()
    try:
        local = None if args.key else settings.existing_audit_signer()
        if not args.key and local is None:
            raise NoteError("this machine has no audit key: pass --key with the verifier key "
                            "the log published (/audit/key)")
        verifier = Verifier.from_vkey(args.key) if args.key else local.verifier  # type: ignore[union-attr]
        held = {str(path): held_note(path.read_text(encoding="utf-8"))
                for path in args.checkpoint}
        for name, note in held.items():
            if not signature_keys(note):
                raise NoteError(f"{name} holds no signed checkpoint")
            origin = Checkpoint.parse(note.partition("\n\n")[0] + "\n").origin
            if origin != verifier.name:
                raise NoteError(f"{name} is not a checkpoint of this log: its first line is "
                                f"{origin!r}, not {verifier.name!r} (a damaged copy?)")
    except (NoteError, OSError, UnicodeDecodeError) as wrong:
        print(f"intake audit verify: {wrong}", file=sys.stderr)
        return 2

    async def work() -> int:
        started = dt.datetime.now()
        report = await verify_log(verifier, held, clock_skew=settings.audit_clock_skew)
        seconds = (dt.datetime.now() - started).total_seconds()
        if report.intact:
            print(f"Audit log intact: {report.events:,} events verified against "
                  f"{report.checkpoints:,} signed checkpoints, in {seconds:.1f} s.")
            if not held:
                print("No checkpoint kept outside was given (--checkpoint): this shows that "
                      "the database agrees with itself, not that nobody rewrote it whole.")
            if report.pending:
                print(f"{report.pending:,} events are not in the log yet (checked by their "
                      "hash alone); `intake audit integrate` adds them.")
            return 0
        where = (f" at event {report.first_event}" if report.first_event is not None else "")
        print(f"AUDIT LOG BROKEN{where}: {len(report.problems):,} problems.", file=sys.stderr)
        for problem in report.problems[:MAX_LISTED]:
            print(f"  - {problem}", file=sys.stderr)
        if len(report.problems) > MAX_LISTED:
            print(f"  … and {len(report.problems) - MAX_LISTED:,} more.", file=sys.stderr)
        return 1

    return run_with_database(settings, work)


def key(args: argparse.Namespace) -> int:
    from intake.settings import Settings

    print(Settings.from_env().audit_signer().verifier.vkey)
    return 0
