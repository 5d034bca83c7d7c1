"""What the reporter does later, with the tracking code and PIN or the link every message to
them carries: open their page (too many wrong PINs from one network lock that network out of
that case for a while) and add text or files to their report."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import asdict

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from workflows.access.limits import Allowance, RateLimited, network, spend, wide_network
from workflows.access.lockouts import (
    PIN_PER_CASE,
    PIN_PER_CASE_AND_ADDRESS,
    LockedOut,
    forgive,
    reserve_attempt_from,
)
from workflows.audit.log import Actor
from workflows.cases.effects import clock_restarted
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.filing import FILES_FIELD, FilingService, evidence_record
from workflows.cases.filing_refusals import InvalidReport
from workflows.cases.models import Attachment, Case, CaseMessage
from workflows.cases.public_view import find_case, waits_for_business
from workflows.cases.states import CLOSED_STATES, PAUSED_STATE
from workflows.cases.text import NO_WORDS, clean_text, has_words
from workflows.cases.tracking import PIN_LENGTH, normalize_tracking_code, pin_digest, pin_matches
from workflows.evidence.storage import EvidenceFile
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.messages import N_, Errors, Problem
from workflows.reference.sla import ServiceLevels

WRONG_CODE_OR_PIN = N_("The code or the PIN is not right.")
CLOSED_TO_ADDITIONS = N_("This report is closed: nothing more can be added to it. If you are "
                         "not satisfied with the outcome, say so on this page and the agency "
                         "will review it.")


class AccessRefused(Exception):
    """The reporter's page stays shut; `problem` says why, the same words whether the code
    exists or not."""

    def __init__(self, problem: Problem, retry_at: dt.datetime | None = None) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.retry_at = retry_at  # a lock or a limit: when to try again


async def open_for_reporter(typed_code: str, typed_pin: str, secret_key: str, address: str,
                            lookups: Allowance, now: dt.datetime | None = None) -> Case:
    """The case whose code and PIN these are. Each try is a look-up (the address's hourly
    allowance) and a PIN attempt for this code from this network (a lockout), counted also
    for the code from everywhere: a stranger can neither test codes for free, nor guess the
    PIN fast from many networks, nor lock the reporter out (PIN_PER_CASE says how)."""
    try:
        await spend(lookups, address, now)
    except RateLimited as limited:
        raise AccessRefused(limited.problem, limited.retry_at) from None
    case = await find_case(normalize_tracking_code(typed_code))
    if case is None:
        raise AccessRefused(Problem(WRONG_CODE_OR_PIN))
    here = f"{case.tracking_code}:{network(address)}"
    block = f"{case.tracking_code}:{wide_network(address)}"
    try:
        await reserve_attempt_from(PIN_PER_CASE_AND_ADDRESS, here, PIN_PER_CASE,
                                   case.tracking_code, now, block_subject=block)
    except LockedOut as locked:
        raise AccessRefused(locked.problem, locked.until) from None
    if not pin_matches(secret_key, case.tracking_code, typed_pin, case.pin_digest):
        raise AccessRefused(Problem(WRONG_CODE_OR_PIN))
    await forgive(PIN_PER_CASE_AND_ADDRESS, here, all_of_them=True)
    await forgive(PIN_PER_CASE, case.tracking_code)
    return case


def checked_addition(typed: str, limit: int) -> str | Problem:
    """The words a reporter adds, cleaned ("" for none): refused when they hide characters,
    run past `limit`, or say nothing."""
    body = clean_text(typed, multiline=True)
    if isinstance(body, Problem):
        return body
    if len(body) > limit:
        return Problem(N_("At most {limit} characters (you typed {length})."),
                       {"limit": limit, "length": len(body)})
    if body and not has_words(body):
        return Problem(NO_WORDS)
    return body


async def add_followup(service: FilingService, case: Case, fields: Mapping[str, str],
                       uploads: Sequence[Upload], allowance: Allowance, address: str) -> None:
    """Store what the reporter adds later, more text, more files or both, checked like a report
    (InvalidReport, TooManyReports, NothingStored): the fields first, then the address's
    allowance, then the files."""
    errors: Errors = {}
    if case.status in CLOSED_STATES:
        raise InvalidReport({"body": Problem(CLOSED_TO_ADDITIONS)})
    body = checked_addition(fields.get("body", ""), service.max_description_chars)
    if isinstance(body, Problem):
        errors["body"] = body
    elif not body and not uploads:
        errors["body"] = Problem(N_("Write something or choose a file to add."))
    too_many = count_and_size(uploads, service.policy)
    if too_many:
        errors[FILES_FIELD] = too_many
    if errors:
        raise InvalidReport(errors)
    text = str(body)
    async with service.stored_evidence(uploads, allowance, address) as evidence:
        await record_followup(case, text, evidence, service.events,
                              service.reference.service_levels)
    service.events.committed()


async def resume_waiting(connection: BaseDBAsyncClient, case: Case, levels: ServiceLevels,
                         now: dt.datetime, events: CaseEvents,
                         actor: Actor | None = None) -> Case | None:
    """The answer awaited (the reporter's, or a business's) resumes a waiting case: the clock
    runs again, its due date moved by the working days waited. (A staff member who acted
    first wins: no resume.)"""
    changes = {"status": "in_progress", **clock_restarted(case, levels, now)}
    resumed = await Case.filter(id=case.id, status=PAUSED_STATE, version=case.version).using_db(
        connection).update(**changes, version=case.version + 1, updated_at=now)
    if not resumed:
        return None
    fresh = await Case.filter(id=case.id).using_db(connection).get()
    before = {"status": PAUSED_STATE, "due_at": case.due_at.isoformat() if case.due_at else None}
    await events.record(connection, CaseEvent(
        fresh, actor or Actor.citizen(), "resume", before=before,
        after={"status": fresh.status, "due_at": fresh.due_at.isoformat() if fresh.due_at else None},
        reason=""))
    return fresh


async def record_followup(case: Case, body: str, evidence: list[EvidenceFile],
                          events: CaseEvents, levels: ServiceLevels,
                          actor: Actor | None = None,
                          client_ref: str | None = None) -> CaseMessage | None:
    """The reporter's addition stored on the case (resuming it if it waited for them), as the
    citizen or, for an update an Open311 client posted, as that client (`client_ref`: its id
    for the update, unique). The message, if there were words."""
    now = dt.datetime.now(dt.UTC)
    async with in_transaction() as connection:
        # The case as it is now, locked: staff may have closed it while the files came in.
        case = await Case.filter(id=case.id).using_db(connection).select_for_update().get()
        if case.status in CLOSED_STATES:
            raise InvalidReport({"body": Problem(CLOSED_TO_ADDITIONS)})
        message = await CaseMessage.create(using_db=connection, case=case, author="reporter",
                                           kind="addition", body=body,
                                           client_ref=client_ref) if body else None
        for file in evidence:  # kept with the words they came with
            await Attachment.create(using_db=connection, case=case, added_by="reporter",
                                    message=message, **asdict(file))
        resumed = None
        if case.status == PAUSED_STATE and not await waits_for_business(case, connection):
            resumed = await resume_waiting(connection, case, levels, now, events)
        await Case.filter(id=case.id).using_db(connection).update(new_info_at=now)
        await events.record(connection, CaseEvent(
            resumed or case, actor or Actor.citizen(), "reporter_followup",
            after={"message": bool(body), "attachments": [evidence_record(f) for f in evidence]},
            facts={"resumed": resumed is not None}))
    return message


# How long after a case is settled its reporter's link still opens their page.
LINK_DAYS_AFTER_SETTLED = 30
LINK_ENDED = N_("This link no longer opens a report's page: it ends 30 days after the report "
                "is settled, and when you leave the page. Enter your code and PIN, or ask for "
                "a new link with “Quên mã PIN?”.")


async def open_by_link(tracking_code: str, epoch: int, address: str, lookups: Allowance,
                       now: dt.datetime | None = None) -> Case:
    """The case a reporter's link opens (AccessRefused when it no longer does: the page was
    left since, or the case was settled more than LINK_DAYS_AFTER_SETTLED days ago). Each
    use is a look-up of the address's allowance."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        await spend(lookups, address, now)
    except RateLimited as limited:
        raise AccessRefused(limited.problem, limited.retry_at) from None
    case = await find_case(tracking_code)
    if case is None or case.reporter_epoch != epoch:
        raise AccessRefused(Problem(LINK_ENDED))
    settled_at = case.resolved_at or case.updated_at
    if case.status in CLOSED_STATES and settled_at + dt.timedelta(
            days=LINK_DAYS_AFTER_SETTLED) < now:
        raise AccessRefused(Problem(LINK_ENDED))
    return case


async def end_reporter_pages(case: Case) -> None:
    """"Thoát": every page the reporter has open on the case ends, on the server — a copy of
    the cookie (a shared phone, a browser's backup) opens nothing afterwards. The pages carry
    the case's reporter epoch, which this raises; the next code and PIN open a new one."""
    await Case.filter(id=case.id, reporter_epoch=case.reporter_epoch).update(
        reporter_epoch=case.reporter_epoch + 1)


def _pressed_pin(secret_key: str, tracking_code: str, epoch: int, press: str) -> str:
    """The PIN one press of "Tạo mã PIN mới" makes: the same for the same press (a double
    click, a retried request), unguessable without the service's key."""
    digest = hmac.new(secret_key.encode(), f"new-pin:{tracking_code}:{epoch}:{press}".encode(),
                      hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10 ** PIN_LENGTH:0{PIN_LENGTH}d}"


async def change_pin(case: Case, secret_key: str, epoch: int, press: str) -> str | None:
    """A new PIN for the reporter whose page is at `epoch`, shown once: the old one opens
    nothing, and every page and link opened before ends with it (the reporter epoch rises),
    so a receipt or a message seen by someone else is worth nothing afterwards. The same
    press sent twice gets the same PIN (the second finds it made); None for anything else."""
    pin = _pressed_pin(secret_key, case.tracking_code, epoch, press)
    changed = await Case.filter(id=case.id, reporter_epoch=epoch).update(
        pin_digest=pin_digest(secret_key, case.tracking_code, pin), reporter_epoch=epoch + 1)
    if not changed:
        now = await Case.filter(id=case.id).first()
        if now is None or now.reporter_epoch != epoch + 1 or not pin_matches(
                secret_key, case.tracking_code, pin, now.pin_digest):
            return None
    case.reporter_epoch = epoch + 1
    return pin
