"""Asking verified brand owners whether a case's goods are genuine: automatically, once a case
that names their brand or GS1 company prefix is with an agency and staff have shown the owners
a photo of the goods (config/brand_owners.toml and each owner's own choice), or when staff of
the handling agency ask one (the `ask_brand_owner`
action). Each owner is asked once per case, by a mail with a link that takes its opinion
until the deadline (workflows.parties.brand_inquiries).

Kept apart from the answering side because the case workflow's tables import the action's
requirement and effect."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.log import Actor
from workflows.audit.models import AuditEvent
from workflows.cases.effects import Changes
from workflows.cases.events import CaseEvent
from workflows.cases.field_kinds import bounded_int
from workflows.cases.models import Attachment, Case
from workflows.cases.refusals import InvalidInput
from workflows.cases.sealing import is_sealed
from workflows.i18n.messages import N_, Problem
from workflows.parties.brand_claims import verified_owners_of
from workflows.parties.models import BrandInquiry, BrandOwner
from workflows.parties.references import BRAND_INQUIRY, new_reference
from workflows.reference.loading import ReferenceData

if TYPE_CHECKING:
    from workflows.cases.requirements import Checked, Step

# A case reaches an agency by these events (one that reaches the police seals the case first,
# and a sealed case's owners are never asked: workflows.cases.sealing). Owners are asked once
# the case is with an agency and staff have shown them a photo of the goods: an inquiry with
# nothing to look at wastes the owner's time and the deadline.
# A filed report that the rules route ("routed") has no photo shared yet — staff share one
# afterwards, which asks then — so the filing itself never asks, and does not look.
REACHES_AN_AGENCY = frozenset({"triage", "transfer"})
ASKS = REACHES_AN_AGENCY | {"photo_shared"}


def _opinion_due(reference: ReferenceData, now: dt.datetime) -> dt.datetime:
    return reference.service_levels.add_working_days(
        now, reference.brand_owners.opinion_working_days)


async def _ask(connection: BaseDBAsyncClient, case: Case, owner: BrandOwner,
               due: dt.datetime, asked_by: int | None, agency_code: str) -> BrandInquiry:
    return await BrandInquiry.create(using_db=connection, case=case, owner=owner, due_at=due,
                                     link_nonce=secrets.token_urlsafe(32), asked_by_id=asked_by,
                                     reference=new_reference(BRAND_INQUIRY),
                                     agency_code=agency_code)


class BrandOwnerAsker:
    """The event listener that asks, in the transaction of the event that brought the case to
    an agency or shared its first photo with the owners, every verified owner of the case's
    brand that has not been asked yet, once a photo is shared (its
    answer is the `brand_owner_asked` events, which the notifier turns into the mail)."""

    def __init__(self, reference: ReferenceData) -> None:
        self.reference = reference

    async def __call__(self, connection: BaseDBAsyncClient, event: CaseEvent,
                       recorded: AuditEvent) -> list[CaseEvent]:
        case = event.case
        if (not self.reference.brand_owners.ask_automatically
                or event.action not in ASKS or case is None or is_sealed(case)
                or case.agency_code not in self.reference.agencies
                or (not case.brand and not case.barcode)
                or not await Attachment.filter(case_id=case.id, shared_with_owners=True)
                .using_db(connection).exists()):
            return []
        owners = [owner for owner in await verified_owners_of(connection, case)
                  if owner.ask_automatically]
        if not owners:
            return []
        asked: set[int] = set(await BrandInquiry.filter(case_id=case.id).using_db(
            connection).values_list("owner_id", flat=True))  # type: ignore[arg-type]
        due = _opinion_due(self.reference, recorded.created_at)
        follow: list[CaseEvent] = []
        for owner in owners:
            if owner.id in asked:
                continue
            inquiry = await _ask(connection, case, owner, due, None, case.agency_code)
            follow.append(CaseEvent(case, Actor.system(), "brand_owner_asked",
                                    after={"brand_owner": owner.id,
                                           "opinion_due": due.isoformat()},
                                    facts={"inquiry": inquiry, "owner": owner}))
        return follow


async def brand_owner(step: Step) -> Checked:
    """Which verified brand owner staff ask (one not asked on this case yet)."""
    owner_id = bounded_int(step.text("brand_owner_id"), 9)  # within the id column
    owner = await BrandOwner.get_or_none(id=owner_id, status="verified") if owner_id else None
    if owner is None:
        raise InvalidInput({"brand_owner_id": Problem(N_("Choose a verified brand owner."))})
    if await BrandInquiry.exists(case_id=step.case.id, owner_id=owner.id):
        raise InvalidInput({"brand_owner_id": Problem(
            N_("This brand owner has already been asked about the case."))})
    return {"brand_owner": owner, "opinion_due": _opinion_due(step.reference, step.now)}


def ask_brand_owner(step: Step, checked: Checked) -> Changes:
    owner: BrandOwner = checked["brand_owner"]
    due: dt.datetime = checked["opinion_due"]

    async def create_inquiry(connection: BaseDBAsyncClient, case: Case) -> dict[str, Any]:
        return {"inquiry": await _ask(connection, case, owner, due, step.user.id,
                                      step.user.agency_code or case.agency_code or ""),
                "owner": owner}

    return Changes(facts={"brand_owner": owner.id, "opinion_due": due.isoformat()},
                   then=create_inquiry)
