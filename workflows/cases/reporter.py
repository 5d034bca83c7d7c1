"""What the reporter does later, with the tracking code and PIN: open their page (too many
wrong PINs lock it for a while) and add text or files to their report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict

from tortoise.transactions import in_transaction

from workflows.access.limits import PIN_PER_CASE
from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.filing import (
    FILES_FIELD,
    FilingService,
    InvalidReport,
    evidence_record,
    nothing_stored_on_outage,
)
from workflows.cases.models import Attachment, Case, CaseMessage
from workflows.cases.tracking import pin_matches
from workflows.cases.validation import clean_text
from workflows.evidence.storage import EvidenceFile
from workflows.evidence.uploads import Upload, UploadRefused, check_contents, count_and_size
from workflows.i18n.messages import N_, Errors, Problem


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
        locked_until = now + PIN_PER_CASE.lockout if failures >= PIN_PER_CASE.max_failures else None
        await Case.filter(id=case.id).using_db(connection).update(
            pin_failures=0 if locked_until else failures, pin_locked_until=locked_until
        )
    raise PinRefused(locked_until)


async def add_followup(service: FilingService, case: Case, fields: Mapping[str, str],
                       uploads: Sequence[Upload]) -> None:
    """Store what the reporter adds later, more text, more files or both, checked like a report
    (InvalidReport, NothingStored)."""
    errors: Errors = {}
    body = clean_text(fields.get("body", ""), multiline=True)
    if isinstance(body, Problem):
        errors["body"] = body
    elif len(body) > service.max_description_chars:
        errors["body"] = Problem(N_("At most {limit} characters (you typed {length})."),
                                 {"limit": service.max_description_chars, "length": len(body)})
    elif not body and not uploads:
        errors["body"] = Problem(N_("Write something or choose a file to add."))
    too_many = count_and_size(uploads, service.policy)
    if too_many:
        errors[FILES_FIELD] = too_many
    if errors:
        raise InvalidReport(errors)
    text = str(body)
    async with nothing_stored_on_outage():
        try:
            checked = await check_contents(uploads, service.policy)
        except UploadRefused as refused:
            raise InvalidReport({FILES_FIELD: refused.problem}) from None
        evidence = await service.store_files(checked)
        try:
            await _record_followup(case, text, evidence, service.events)
        except BaseException:
            service.store.discard(evidence)
            raise
    service.events.committed()


async def _record_followup(case: Case, body: str, evidence: list[EvidenceFile],
                           events: CaseEvents) -> None:
    async with in_transaction() as connection:
        if body:
            await CaseMessage.create(using_db=connection, case=case, author="reporter", body=body)
        for file in evidence:
            await Attachment.create(using_db=connection, case=case, added_by="reporter",
                                    **asdict(file))
        await events.record(connection, CaseEvent(
            case, Actor.citizen(), "reporter_followup",
            after={"message": bool(body), "attachments": [evidence_record(f) for f in evidence]}))
