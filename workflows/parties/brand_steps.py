"""What staff of the agency handling a case do on the brand owners' side of it: share a
photo of the goods with the owners asked (nothing a reporter or supporter sent is shown to
them before staff share it: a photo may show a receipt with a name, or a face), take it back,
and withdraw an unanswered inquiry no longer needed (its link stops)."""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from workflows.access.models import StaffUser
from workflows.access.roles import handles
from workflows.audit.log import Actor
from workflows.cases.events import CaseEvent, CaseEvents
from workflows.cases.models import Attachment, Case
from workflows.cases.refusals import ActionRefused
from workflows.i18n.messages import N_
from workflows.parties.brand_inquiries import SHOWN_PHOTO_SOURCES, SHOWN_PHOTO_TYPES
from workflows.parties.models import BrandInquiry

NOT_YOURS = N_("Only the agency handling the case may take this action.")


async def share_photo(case: Case, user: StaffUser, attachment_id: int, shared: bool,
                      events: CaseEvents) -> Attachment:
    """Show a photo of the goods to the brand owners asked about the case, or stop."""
    if not handles(user, case):
        raise ActionRefused(NOT_YOURS)
    photo = await Attachment.get_or_none(id=attachment_id, case_id=case.id,
                                         added_by__in=SHOWN_PHOTO_SOURCES,
                                         content_type__in=sorted(SHOWN_PHOTO_TYPES))
    if photo is None:
        raise ActionRefused(N_("Only photos of the goods may be shared with a brand owner."))
    async with in_transaction() as connection:
        if await Attachment.filter(id=photo.id).exclude(shared_with_owners=shared).using_db(
                connection).update(shared_with_owners=shared):
            await events.record(connection, CaseEvent(
                case, Actor("staff", str(user.id)),
                "photo_shared" if shared else "photo_withheld",
                after={"attachment_id": photo.id, "sha256": photo.received_sha256}))
    events.committed()
    return await Attachment.get(id=photo.id)


async def withdraw_inquiry(case: Case, user: StaffUser, inquiry_id: int,
                           events: CaseEvents) -> BrandInquiry:
    if not handles(user, case):
        raise ActionRefused(NOT_YOURS)
    async with in_transaction() as connection:
        if not await BrandInquiry.filter(
                id=inquiry_id, case_id=case.id, answered_at__isnull=True,
                withdrawn_at__isnull=True).using_db(connection).update(
                withdrawn_at=dt.datetime.now(dt.UTC)):
            raise ActionRefused(N_("This inquiry is already answered or withdrawn."))
        await events.record(connection, CaseEvent(
            case, Actor("staff", str(user.id)), "brand_inquiry_withdrawn",
            after={"inquiry": inquiry_id}))
    events.committed()
    return await BrandInquiry.get(id=inquiry_id)
