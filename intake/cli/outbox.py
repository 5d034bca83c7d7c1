"""`intake outbox run | status | retry`: the email outbox by hand."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from intake.cli.common import run_with_database

if TYPE_CHECKING:
    from intake.settings import Settings
    from workflows.mail.sender import OutboxSender


def register(commands: Any) -> None:
    outbox = commands.add_parser("outbox", help="the email outbox")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", required=True)
    run_parser = outbox_commands.add_parser("run", help="send queued mail (also runs in serve)")
    run_parser.add_argument("--once", action="store_true", help="send what is due, then exit")
    run_parser.set_defaults(handler=run)
    outbox_commands.add_parser(
        "status", help="pending, sent, failed and stuck messages, and gaps in the audit log's "
        "event numbers; exits 1 if any message failed or is stuck, or there is a gap").set_defaults(
        handler=status)
    retry_parser = outbox_commands.add_parser("retry", help="queue failed messages again")
    retry_parser.add_argument("ids", nargs="*", type=int, help="only these message ids")
    retry_parser.set_defaults(handler=retry)


def outbox_sender(settings: Settings) -> OutboxSender:
    """The sender `serve` runs, with mail links built from the service's routes."""
    from intake.context import create_outbox_sender
    from intake.links import RouteLinks
    from intake.routes import routes
    from workflows.mail.notifications import Notifier
    from workflows.reference.loading import load_reference

    notifier = Notifier(RouteLinks(routes, settings.base_url, settings.secret_key),
                        load_reference(settings.config_dir))
    return create_outbox_sender(settings, notifier)


def run(args: argparse.Namespace) -> int:
    from intake.settings import Settings

    settings = Settings.from_env()
    if not settings.smtp.configured:
        print("intake: INTAKE_SMTP_HOST is not set: nothing can be sent.", file=sys.stderr)
        return 2
    sender = outbox_sender(settings)

    async def send() -> int:
        if args.once:
            print(f"{await sender.run_until_idle()} messages attempted.")
        else:
            print(f"Sending mail through {settings.smtp.host}:{settings.smtp.port}; "
                  "Ctrl+C to stop.")
            await sender.run_forever()
        return 0

    try:
        return run_with_database(settings, send)
    except KeyboardInterrupt:
        return 0


def status(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.audit.numbering import numbering_problem
    from workflows.mail.outbox import outbox_status
    from workflows.mail.sms import use_sms_policy
    from workflows.mail.sms_status import sms_status, status_line

    settings = Settings.from_env()
    use_sms_policy(settings.sms.policy)  # the budget it prints the month's parts against

    async def show() -> int:
        counts = await outbox_status()
        sms = await sms_status()
        # Mail is keyed by event number: a gap or a counter set back shows here, where the
        # outbox is watched, before a number given twice makes filings collide with old mail.
        audit_problem = await numbering_problem()
        print(f"pending: {counts.pending}  sent: {counts.sent}  failed: {counts.failed} "
              f"({counts.failed_to_citizens} to citizens)  stuck: {len(counts.stuck)}")
        if counts.last_error:
            print(f"last error: {counts.last_error}")
        for stuck in counts.stuck:
            print(f"STUCK: message {stuck.id} ({stuck.kind}"
                  f"{', case ' + stuck.case_code if stuck.case_code else ''}): claimed "
                  f"{stuck.claims} times, {stuck.attempts} attempts recorded, due since "
                  f"{stuck.due_since:%Y-%m-%d %H:%M} UTC")
        if not settings.smtp.configured and counts.pending:
            print("INTAKE_SMTP_HOST is not set: pending mail waits until it is.")
        print(status_line(sms))
        if sms.last_error:
            print(f"sms last error: {sms.last_error}")
        if not settings.sms.gateway.configured and sms.pending:
            print("INTAKE_SMS_URL is not set: pending SMS wait until it is.")
        if audit_problem:
            print(f"audit log: {audit_problem}")
        return 0 if counts.healthy and not audit_problem else 1

    return run_with_database(settings, show)


def retry(args: argparse.Namespace) -> int:
    from intake.settings import Settings
    from workflows.mail.outbox import requeue_failed

    async def again() -> int:
        count = await requeue_failed(args.ids or None)
        print(f"{count} failed messages queued again.")
        return 0

    return run_with_database(Settings.from_env(), again)
