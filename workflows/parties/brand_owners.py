"""Brand owners register with proof of their right to the brands, and an intake officer
verifies it. Only a verified owner is asked about cases (workflows.parties.brand_inquiries);
refusing or withdrawing a verification says why, by mail, and a refused owner may register
again with better proof. Every step is in the audit trail.

The registration's documents go through the same checks as citizens' files (the filing
service's), and each try is charged to the address's allowance for additions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from workflows.access.limits import Allowance
from workflows.access.models import StaffUser
from workflows.audit.log import Actor, append_event
from workflows.cases.field_kinds import PHONE_PATTERN
from workflows.cases.filing import FILES_FIELD, FilingService, evidence_record
from workflows.cases.filing_refusals import InvalidReport
from workflows.cases.outcomes import tax_code
from workflows.cases.refusals import InvalidInput
from workflows.cases.text import clean_text, has_words, required_words
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.messages import N_, Errors, Problem
from workflows.mail.addresses import NotAMailbox, mailbox
from workflows.parties.brand_claims import Claim, read_claims
from workflows.parties.models import BrandClaim, BrandOwner, BrandOwnerDocument
from workflows.reference.catalog import BRAND_OWNER_KIND_CODES

if TYPE_CHECKING:
    from workflows.mail.notifications import Notifier

MAX_NAME_CHARS = 200
MAX_TRADEMARK_CHARS = 2000
MAX_NOTE_CHARS = 2000
ALREADY_REGISTERED = N_("This address is already registered as a brand owner: sign in with it, "
                        "or wait for the officers' answer.")
WAS_REVOKED = N_("The verification of this address as a brand owner was withdrawn: contact "
                 "the officers to have it checked again.")
NEEDS_PROOF = N_("Attach at least one document that proves your right to the brand (a "
                 "trademark certificate, a distribution contract).")
# What an officer may do with a registration, from which statuses, to which status.
REVIEWS: dict[str, tuple[frozenset[str], str]] = {
    "verify": (frozenset({"pending", "revoked"}), "verified"),
    "refuse": (frozenset({"pending"}), "refused"),
    "revoke": (frozenset({"verified"}), "revoked"),
}


@dataclass(frozen=True)
class Registration:
    organisation: str
    kind: str
    contact_name: str
    email: str
    phone: str
    tax_code: str
    trademark_numbers: str
    claims: tuple[Claim, ...]


def read_registration(fields: Mapping[str, str]) -> tuple[Registration | None, Errors]:
    """The form's fields, checked one by one (every problem at once)."""
    problems: Errors = {}

    def words(name: str, empty: str, limit: int, multiline: bool = False) -> str:
        written = required_words(fields.get(name, ""), empty, limit, multiline=multiline)
        if isinstance(written, Problem):
            problems[name] = written
            return ""
        return written

    organisation = words("organisation", N_("Give the name of the business."), MAX_NAME_CHARS)
    contact = words("contact_name", N_("Give the name of the person we may contact."),
                    MAX_NAME_CHARS)
    trademarks = words("trademark_numbers", N_("Give the numbers of your trademark certificates "
                                               "or of the distribution contract."),
                       MAX_TRADEMARK_CHARS, multiline=True)
    kind = fields.get("kind", "").strip()
    if kind not in BRAND_OWNER_KIND_CODES:
        problems["kind"] = Problem(N_("Choose whether you produce the goods or distribute "
                                      "them."))
    email = ""
    try:
        email = mailbox(fields.get("email", "")).casefold()
    except NotAMailbox:
        problems["email"] = Problem(N_("Give one email address such as ten@example.com."))
    phone = fields.get("phone", "").replace(" ", "").replace(".", "").replace("-", "")
    if phone and not PHONE_PATTERN.match(phone):
        problems["phone"] = Problem(N_("Give a phone number of 9 to 15 digits."))
    tax = tax_code(fields.get("tax_code", ""))
    if isinstance(tax, Problem):
        problems["tax_code"] = tax
    claims, claim_problems = read_claims(fields.get("brands", ""), fields.get("gs1_prefixes", ""))
    problems.update(claim_problems)
    if problems:
        return None, problems
    return Registration(organisation, kind, contact, email, phone, str(tax), trademarks,
                        tuple(claims)), {}


async def register(service: FilingService, fields: Mapping[str, str], uploads: Sequence[Upload],
                   allowance: Allowance, address: str, language: str) -> BrandOwner:
    """Store a registration and its documents, waiting for an officer. Nothing is mailed
    before an officer has read it: anyone may type any address, and a mail saying "your
    registration of <whatever was typed> arrived" would carry a stranger's words to it. An
    address already registered is refused (InvalidReport naming the email field); a refused
    one registers again."""
    registration, problems = read_registration(fields)
    too_many = count_and_size(uploads, service.policy)
    if too_many or not uploads:
        problems[FILES_FIELD] = too_many or Problem(NEEDS_PROOF)
    if registration is None or problems:
        raise InvalidReport(problems)
    async with service.stored_evidence(uploads, allowance, address) as evidence:
        try:
            async with in_transaction() as connection:
                owner = await BrandOwner.filter(email=registration.email).using_db(
                    connection).select_for_update().first()
                if owner is not None and owner.status == "revoked":
                    # Its opinions stand on cases under its name: officers restore it.
                    raise InvalidReport({"email": Problem(WAS_REVOKED)})
                if owner is not None and owner.status != "refused":
                    raise InvalidReport({"email": Problem(ALREADY_REGISTERED)})
                values = {**asdict(registration), "language": language, "status": "pending",
                          "review_note": "", "reviewed_by_id": None, "reviewed_at": None}
                del values["claims"]
                if owner is None:
                    owner = await BrandOwner.create(using_db=connection, **values)
                else:  # registering again after a refusal: new details, new proof
                    await BrandOwner.filter(id=owner.id).using_db(connection).update(**values)
                    await BrandClaim.filter(owner_id=owner.id).using_db(connection).delete()
                    owner = await BrandOwner.filter(id=owner.id).using_db(connection).get()
                await BrandClaim.bulk_create([
                    BrandClaim(owner=owner, kind=claim.kind, value=claim.value, key=claim.key)
                    for claim in registration.claims], using_db=connection)
                for file in evidence:
                    await BrandOwnerDocument.create(using_db=connection, owner=owner,
                                                    **asdict(file))
                await append_event(
                    connection, case=None, actor=Actor("brand_owner", str(owner.id)),
                    action="brand_owner_registered",
                    after={"organisation": owner.organisation, "kind": owner.kind,
                           "claims": [[claim.kind, claim.value] for claim in registration.claims],
                           "documents": [evidence_record(file) for file in evidence]})
        except IntegrityError:  # the same address registered twice at once
            raise InvalidReport({"email": Problem(ALREADY_REGISTERED)}) from None
    return owner


class ReviewRefused(Exception):
    """The registration is no longer in a status the review applies to (another officer was
    quicker): nothing changed."""


async def review(notifier: Notifier, owner_id: int, decision: str, note: str,
                 officer: StaffUser, now: dt.datetime) -> BrandOwner:
    """Verify, refuse or withdraw a verification; refusing and withdrawing need a reason,
    which the owner is told. The owner is mailed the decision."""
    if decision not in REVIEWS:
        raise InvalidInput({"decision": Problem(N_("Choose a decision."))})
    sources, target = REVIEWS[decision]
    written = clean_text(note, multiline=True)
    if isinstance(written, Problem):
        raise InvalidInput({"note": written})
    if decision != "verify" and not has_words(written):
        raise InvalidInput({"note": Problem(N_("Say why: the brand owner is told."))})
    if len(written) > MAX_NOTE_CHARS:
        raise InvalidInput({"note": Problem(N_("At most {limit} characters (you typed "
                                               "{length})."),
                                            {"limit": MAX_NOTE_CHARS, "length": len(written)})})
    async with in_transaction() as connection:
        if not await BrandOwner.filter(id=owner_id, status__in=sorted(sources)).using_db(
                connection).update(status=target, review_note=written, reviewed_by_id=officer.id,
                                   reviewed_at=now, session_nonce=""):
            raise ReviewRefused()
        owner = await BrandOwner.filter(id=owner_id).using_db(connection).get()
        await append_event(connection, case=None, actor=Actor("staff", str(officer.id)),
                           action=f"brand_owner_{target}", reason=written,
                           after={"brand_owner": owner.id, "status": target})
        await notifier.brand_owner_mail(connection, owner, f"brand_owner_{target}")
    return owner


async def claims_of(owner: BrandOwner) -> list[BrandClaim]:
    return await BrandClaim.filter(owner_id=owner.id).order_by("kind", "id")


async def registrations(status: str, limit: int = 200) -> list[BrandOwner]:
    """An officer's list: the registrations of one status, newest first."""
    return await BrandOwner.filter(status=status).order_by("-created_at").limit(limit)


async def status_counts() -> dict[str, int]:
    counts = await BrandOwner.annotate(count=Count("id")).group_by("status").values_list(
        "status", "count")
    return {str(status): int(count) for status, count in counts}


async def registration(owner_id: int) -> BrandOwner | None:
    return await BrandOwner.get_or_none(id=owner_id)


async def documents_of(owner: BrandOwner) -> list[BrandOwnerDocument]:
    return await BrandOwnerDocument.filter(owner_id=owner.id).order_by("id")


async def document(owner_id: int, document_id: int) -> BrandOwnerDocument | None:
    return await BrandOwnerDocument.get_or_none(id=document_id, owner_id=owner_id)


async def choose_asking(owner: BrandOwner, automatically: bool) -> None:
    """The owner's choice: asked about each new case on its brands, or only by staff."""
    await BrandOwner.filter(id=owner.id).update(ask_automatically=automatically)


async def rival_claims(owner: BrandOwner) -> list[BrandClaim]:
    """Other registrations that claim one of the owner's brands or prefixes, with their
    owners: what an officer checks before verifying (a distributor beside its producer, or
    someone claiming a brand that is not theirs)."""
    mine = await BrandClaim.filter(owner_id=owner.id).values_list("kind", "key")
    if not mine:
        return []
    return await BrandClaim.filter(Q(*(Q(kind=kind, key=key) for kind, key in mine),
                                     join_type=Q.OR)).exclude(owner_id=owner.id).select_related(
        "owner").order_by("owner_id")
