"""What the reporter does later, with the tracking code and PIN: open their page (too many
wrong PINs lock it for a while) and add text or files to their report."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from tortoise.transactions import in_transaction

from workflows.audit.log import Actor, append_event
from workflows.cases.filing import evidence_record
from workflows.cases.models import Attachment, Case, CaseMessage
from workflows.cases.tracking import pin_matches
from workflows.evidence.storage import EvidenceFile

PIN_MAX_FAILURES = 10
PIN_LOCKOUT = dt.timedelta(hours=1)


class PinRefused(Exception):
    def __init__(self, locked_until: dt.datetime | None) -> None:
        super().__init__("PIN refused")
        self.locked_until = locked_until


async def check_reporter_pin(case: Case, typed_pin: str, secret_key: str) -> None:
    """Raise PinRefused unless the PIN is right; too many wrong tries lock the case for a while.

    The counter lives in the database, so it holds across workers and restarts.
    """
    now = dt.datetime.now(dt.UTC)
    if case.pin_locked_until and case.pin_locked_until > now:
        raise PinRefused(case.pin_locked_until)
    if pin_matches(secret_key, case.tracking_code, typed_pin, case.pin_digest):
        if case.pin_failures:
            await Case.filter(id=case.id).update(pin_failures=0, pin_locked_until=None)
        return
    async with in_transaction() as connection:
        fresh = await Case.filter(id=case.id).using_db(connection).select_for_update().get()
        failures = fresh.pin_failures + 1
        locked_until = now + PIN_LOCKOUT if failures >= PIN_MAX_FAILURES else None
        await Case.filter(id=case.id).using_db(connection).update(
            pin_failures=0 if locked_until else failures, pin_locked_until=locked_until
        )
    raise PinRefused(locked_until)


async def add_reporter_followup(
    case: Case, body: str, evidence: list[EvidenceFile]
) -> CaseMessage | None:
    """Store what an anonymous reporter adds later: more text, more photos, or both."""
    async with in_transaction() as connection:
        message = None
        if body:
            message = await CaseMessage.create(using_db=connection, case=case, author="reporter",
                                               body=body)
        for file in evidence:
            await Attachment.create(using_db=connection, case=case, added_by="reporter",
                                    **asdict(file))
        await append_event(
            connection,
            case=case,
            actor=Actor.citizen(),
            action="reporter_followup",
            after={"message": bool(body), "attachments": [evidence_record(f) for f in evidence]},
        )
    return message
