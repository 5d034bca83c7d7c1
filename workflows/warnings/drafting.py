"""Drafting, approving and withdrawing a product warning. A warning speaks for an agency to
the public, so no one publishes one alone: a lead of the agency or an officer drafts it, and
another of them approves it. Each step is one conditional update and one audit event in a
transaction, so two people deciding at once cannot both win."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from tortoise.transactions import in_transaction

from workflows.access.limits import Allowance
from workflows.access.models import StaffUser
from workflows.access.roles import LEAD, OFFICER
from workflows.audit.log import Actor, append_event
from workflows.cases.barcodes import barcode_key
from workflows.cases.field_kinds import BARCODE_PATTERN
from workflows.cases.filing import FILES_FIELD, FilingService, evidence_record
from workflows.cases.filing_refusals import InvalidReport
from workflows.cases.refusals import InvalidInput
from workflows.cases.sealing import police_codes
from workflows.cases.text import optional_words, required_words
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.messages import N_, Errors, Problem
from workflows.parties.brand_claims import claimable_key
from workflows.parties.brand_inquiries import SHOWN_PHOTO_TYPES
from workflows.reference.agencies import Agency
from workflows.warnings.models import ProductWarning, WarningPhoto

# Who drafts, approves and withdraws: an officer for any agency, a lead for their own.
WARNING_ROLES = frozenset({OFFICER, LEAD})
MAX_PHOTOS = 5
# Staff's photos are not counted per hour: the accounts are few and known.
STAFF_UPLOADS = Allowance("warning", 0, "")


@dataclass(frozen=True)
class WarningField:
    name: str
    limit: int
    required: str = ""  # a gettext id: what to say when it is left empty ("": optional)
    multiline: bool = False
    printed_code: bool = False  # digits and letters as on the package: a barcode, a batch


FIELDS = (
    WarningField("product_name", 200, N_("Name the product the warning is about.")),
    WarningField("brand", 200),
    WarningField("barcode", 32, printed_code=True),
    WarningField("batch", 100, printed_code=True),
    WarningField("body", 5000, N_("Say what to look for and what to do."), multiline=True),
    WarningField("legal_basis", 500, N_("Give the legal basis: the decision, test result or "
                                        "document the warning rests on.")),
)


@dataclass(frozen=True)
class WarningStep:
    """One decision on a warning, declared once: from which states, to which, and what it
    needs."""

    sources: frozenset[str]
    target: str
    reason: str = ""  # a gettext id: asked for when it needs a reason ("": none needed)
    not_by_drafter: bool = False  # the second pair of eyes


STEPS: dict[str, WarningStep] = {
    "approve": WarningStep(frozenset({"draft"}), "published", not_by_drafter=True),
    "discard": WarningStep(frozenset({"draft"}), "discarded"),
    "withdraw": WarningStep(frozenset({"published"}), "withdrawn",
                            reason=N_("Say why the warning is withdrawn: the reason is "
                                      "published with it.")),
}
MAX_REASON_CHARS = 1000
NOT_YOURS = N_("Only an officer or a lead of the warning's agency may do this.")
SECOND_PERSON = N_("You drafted this warning: another lead or officer must approve it.")
STALE = N_("Someone decided on this warning meanwhile: see its status below.")


class WarningRefused(Exception):
    """The step is not this person's to take, or no longer possible; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def warning_agencies(agencies: Mapping[str, Agency]) -> list[str]:
    """Who may speak through a warning: every agency but the police, whom nothing public
    names (workflows.cases.sealing) — a warning under their name could tell a seller whose
    case is with them."""
    return [code for code in agencies if code not in police_codes(dict(agencies))]


NOT_FOR_THE_POLICE = N_("A warning speaks to the public under an agency's name, and nothing "
                        "public names the police: an intake officer or another agency's lead "
                        "drafts it.")


def may_draft(user: StaffUser, agencies: Mapping[str, Agency]) -> bool:
    """An intake officer drafts for any agency that may speak through a warning; a lead for
    their own, which the police's lead cannot."""
    return user.role == OFFICER or (user.role == LEAD
                                    and user.agency_code in warning_agencies(agencies))


def may_act_for(user: StaffUser, agency_code: str) -> bool:
    return user.role == OFFICER or (user.role == LEAD and user.agency_code == agency_code)


def _read(fields: Mapping[str, str], user: StaffUser,
          agencies: Mapping[str, Agency]) -> tuple[dict[str, str], Errors]:
    values: dict[str, str] = {}
    errors: Errors = {}
    for field in FIELDS:
        raw = fields.get(field.name, "")
        written = required_words(raw, field.required, field.limit, multiline=field.multiline) \
            if field.required else optional_words(raw, field.limit, multiline=field.multiline)
        if isinstance(written, str) and written and field.printed_code \
                and not BARCODE_PATTERN.match(written):
            written = Problem(N_("Type the digits and letters printed on the package."))
        if isinstance(written, Problem):
            errors[field.name] = written
        else:
            values[field.name] = written
    agency = user.agency_code if user.role == LEAD else fields.get("agency", "")
    if agency not in warning_agencies(agencies):
        errors["agency"] = Problem(N_("Choose the agency the warning speaks for."))
    values["agency"] = agency or ""
    if not errors and not values["brand"] and not values["barcode"]:
        errors["brand"] = Problem(N_("Give the brand or the barcode, so that people who check "
                                     "the product find the warning."))
    return values, errors


async def draft(user: StaffUser, fields: Mapping[str, str], agencies: Mapping[str, Agency],
                service: FilingService, photos: Sequence[Upload] = ()) -> ProductWarning:
    """A new draft with its photos, seen by staff only until another person approves it.
    InvalidReport (InvalidInput) names each field to fix; nothing is stored then."""
    if not may_draft(user, agencies):
        raise WarningRefused(Problem(NOT_YOURS if user.role not in WARNING_ROLES
                                     else NOT_FOR_THE_POLICE))
    values, errors = _read(fields, user, agencies)
    too_many = count_and_size(photos, service.policy)
    if too_many or len(photos) > MAX_PHOTOS:
        errors[FILES_FIELD] = too_many or Problem(
            N_("A warning has at most {limit} photos."), {"limit": MAX_PHOTOS})
    if errors:
        raise InvalidReport(errors)
    async with service.stored_evidence(photos, STAFF_UPLOADS, str(user.id)) as evidence:
        if any(file.content_type not in SHOWN_PHOTO_TYPES for file in evidence):
            raise InvalidReport({FILES_FIELD: Problem(N_(
                "A warning shows photos (JPEG, PNG, WebP), not documents."))})
        async with in_transaction() as connection:
            warning = await ProductWarning.create(
                using_db=connection, agency_code=values["agency"],
                product_name=values["product_name"], brand=values["brand"],
                brand_key=claimable_key(values["brand"]) or "" if values["brand"] else "",
                barcode=values["barcode"],
                barcode_key=barcode_key(values["barcode"]) if values["barcode"] else "",
                batch=values["batch"],
                batch_key=barcode_key(values["batch"]) if values["batch"] else "",
                body=values["body"], legal_basis=values["legal_basis"],
                drafted_by_id=user.id)
            for file in evidence:
                await WarningPhoto.create(using_db=connection, warning=warning, **asdict(file))
            await append_event(connection, case=None, actor=Actor("staff", str(user.id)),
                               action="warning_drafted",
                               after={"warning": warning.id, "agency": warning.agency_code,
                                      "photos": [evidence_record(file) for file in evidence]})
    return warning


def _reason(step: WarningStep, typed: str) -> str:
    if not step.reason:
        return ""
    written = required_words(typed, step.reason, MAX_REASON_CHARS)
    if isinstance(written, Problem):
        raise InvalidInput({"reason": written})
    return written


async def decide(user: StaffUser, warning_id: int, step_name: str, reason: str,
                 now: dt.datetime) -> ProductWarning:
    """Approve, discard or withdraw; recorded in the audit trail with the reason."""
    step = STEPS.get(step_name)
    if step is None:
        raise InvalidInput({"step": Problem(N_("Choose what to do with the warning."))})
    warning = await ProductWarning.get(id=warning_id)
    if not may_act_for(user, warning.agency_code):
        raise WarningRefused(Problem(NOT_YOURS))
    if step.not_by_drafter and warning.drafted_by_id == user.id:  # type: ignore[attr-defined]
        raise WarningRefused(Problem(SECOND_PERSON))
    written = _reason(step, reason)
    changes: dict[str, object] = {"status": step.target}
    if step.target == "published":
        changes |= {"approved_by_id": user.id, "published_at": now}
    elif step.target == "withdrawn":
        changes |= {"withdrawn_by_id": user.id, "withdrawn_at": now, "withdraw_reason": written}
    async with in_transaction() as connection:
        if not await ProductWarning.filter(id=warning_id, status__in=sorted(step.sources)) \
                .using_db(connection).update(**changes):
            raise WarningRefused(Problem(STALE))
        await append_event(connection, case=None, actor=Actor("staff", str(user.id)),
                           action=f"warning_{step.target}", reason=written,
                           after={"warning": warning_id, "status": step.target})
    return await ProductWarning.get(id=warning_id)
