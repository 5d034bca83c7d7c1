"""Before each report of the plans is due, its draft: the formal XLSX of the window so far, mailed
to the issuer's `reminders_to` mailboxes, every analyst and every steering-committee account,
`reminder_working_days` working days before the due date (config/reporting.toml), after the
day's mail hour. Once per report, year and recipient, whichever sender gets there first."""

from __future__ import annotations

import datetime as dt

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.access.roles import ANALYST, COMMITTEE
from workflows.audit.sequencer import latest_checkpoint
from workflows.figures.files import file_name, report_file
from workflows.i18n.formatting import VIETNAM
from workflows.mail.models import OutboxMessage
from workflows.mail.notifications import AGENCY_LANGUAGE, Notifier
from workflows.mail.outbox import enqueue
from workflows.reference.reporting import Period, report_period
from workflows.reference.reports import NamedReport
from workflows.reference.sla import ServiceLevels


def reminder_day(report: NamedReport, year: int, levels: ServiceLevels) -> dt.date:
    """The working day `reminder_working_days` working days before the due date."""
    day, left = report.due_date(year), report.reminder_working_days
    while left > 0:
        day -= dt.timedelta(days=1)
        left -= levels.is_working_day(day)
    return day


def reminder_key(report: NamedReport, year: int, recipient: str) -> str:
    return f"report-reminder:{report.code}:{year}:{recipient}"[:120]


async def reminder_recipients(notifier: Notifier) -> list[str]:
    staff = await StaffUser.filter(active=True, role__in=[ANALYST, COMMITTEE]).order_by(
        "email").values_list("email", flat=True)
    return sorted({*notifier.reference.calendar.issuer.reminders_to, *map(str, staff)})


async def _draft(notifier: Notifier, period: Period, made_on: dt.date) -> bytes:
    checkpoint = await latest_checkpoint()
    return await report_file(period, None, notifier.reference,
                             notifier.reference.translator(AGENCY_LANGUAGE), "xlsx", made_on,
                             checkpoint.note if checkpoint else "")


async def queue_due_report_reminders(notifier: Notifier, hour: int, now: dt.datetime) -> int:
    """Queue the drafts whose day has come and that are not yet queued; how many were."""
    local = now.astimezone(VIETNAM)
    if local.hour < hour:
        return 0
    reference, queued = notifier.reference, 0
    for report in reference.calendar.reports.values():
        year = local.year
        if not reminder_day(report, year, reference.service_levels) <= local.date() \
                <= report.due_date(year):
            continue
        period, draft, mail = report_period(report, year), None, None
        for recipient in await reminder_recipients(notifier):
            if await OutboxMessage.exists(event_key=reminder_key(report, year, recipient)):
                continue
            # Made once, for the first recipient still owed them: the same to every one.
            draft = draft or await _draft(notifier, period, local.date())
            mail = mail or notifier.renderer.render("report_reminder", AGENCY_LANGUAGE, {
                "period": period, "due": report.due_date(year),
                "link": notifier.links.statistics(period.label)})
            try:
                async with in_transaction() as connection:
                    await enqueue(connection, event_key=reminder_key(report, year, recipient),
                                  kind="report_reminder", recipient=recipient, mail=mail,
                                  attachment=(file_name(period, None, "xlsx"), draft))
                queued += 1
            except IntegrityError:
                pass  # another sender queued it first
    return queued
