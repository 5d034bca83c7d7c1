"""The tables of a case's outside parties."""

# Class docstrings become table comments in migrations (no ";" in them: see
# workflows/cases/models/case.py).

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from workflows.access.models import StaffUser
    from workflows.cases.models import Case


class ExplanationRequest(Model):
    """A business (the seller or the brand owner) asked to explain, by a signed link that
    works once and until the deadline. Its answer stays internal until staff publish a
    summary of it."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="explanations", on_delete=fields.RESTRICT
    )
    # The business's own reference (never the case's tracking code, which opens /track), and
    # the agency that asked: what its mail and page name, wherever the case goes later.
    reference = fields.CharField(max_length=12, default="", db_default="", db_index=True)
    agency_code = fields.CharField(max_length=16, default="", db_default="")
    party_kind = fields.CharField(max_length=16)  # seller, brand_owner
    party_name = fields.CharField(max_length=200)
    party_email = fields.CharField(max_length=320)
    question = fields.TextField()
    due_at = fields.DatetimeField(db_index=True)
    # Staff chose to wait for the answer: the case was put on hold with the request.
    pauses = fields.BooleanField(default=False)
    # The link names the request and this random value, signed; both must match.
    link_nonce = fields.CharField(max_length=43)
    # The mail's Reply-To is the officer who asked, not the agency's mailbox: their choice.
    reply_to_officer = fields.BooleanField(default=False, db_default=False)
    requested_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="explanations_requested", null=True,
        on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    answered_at = fields.DatetimeField(null=True)
    answer = fields.TextField(default="")
    # Staff no longer need it: the link stops working and it is never overdue.
    withdrawn_at = fields.DatetimeField(null=True)
    # What the public reads on /track, written by staff from the answer (never the answer).
    public_summary = fields.TextField(default="")
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "explanation_request"


class CaseFollower(Model):
    """Someone following a case's public status by email: mailed each public change once they
    confirm by the link sent to the address, until they unsubscribe. Staff see only how many."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="followers", on_delete=fields.RESTRICT
    )
    email = fields.CharField(max_length=320)
    # One key per mailbox however the address is written (workflows.mail.addresses), and a
    # keyed digest of the network that asked: what the daily caps on confirmations count.
    mailbox_key = fields.CharField(max_length=320, default="", db_default="", db_index=True)
    network_digest = fields.CharField(max_length=64, default="", db_default="", db_index=True)
    language = fields.CharField(max_length=2, default="vi")
    # The links name the follower and this random value, signed; both must match.
    link_nonce = fields.CharField(max_length=43)
    created_at = fields.DatetimeField(auto_now_add=True)
    confirmation_sent_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    unsubscribed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "case_follower"
        unique_together = (("case", "email"),)


class SupportingReport(Model):
    """Another citizen who saw the same goods and added to an open case instead of filing a
    new one ("I saw this too"): their note and photos, and where to send the outcome."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="supporting_reports", on_delete=fields.RESTRICT
    )
    note = fields.TextField(default="")
    reporter_email = fields.CharField(max_length=320, default="")
    consent = fields.BooleanField(default=False)
    language = fields.CharField(max_length=2, default="vi")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    # A keyed digest of the network it came from: one person adding twice counts once.
    network_digest = fields.CharField(max_length=64, default="", db_default="")
    counted = fields.BooleanField(default=True, db_default=True)

    class Meta:
        table = "supporting_report"


class BrandOwner(Model):
    """A producer of branded goods, or its authorised distributor, registered with proof of its
    right to the brands. Asked about the cases that name them only once an officer has
    verified that proof. It never sees who reported a case."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    organisation = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=16)  # producer, distributor
    contact_name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=320, unique=True)  # stored case-folded
    phone = fields.CharField(max_length=20, default="")
    tax_code = fields.CharField(max_length=14, default="")
    # Trademark certificates (Vietnam's IP Office numbers) or the distribution contract.
    trademark_numbers = fields.TextField()
    language = fields.CharField(max_length=2, default="vi")
    status = fields.CharField(max_length=16, default="pending", db_index=True)
    # Why it was refused or revoked, told to the owner; or the officer's note on verifying.
    review_note = fields.TextField(default="")
    reviewed_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="brand_owners_reviewed", null=True,
        on_delete=fields.SET_NULL
    )
    reviewed_at = fields.DatetimeField(null=True)
    # The owner's choice: asked about each new case on its brands, or only when staff ask.
    ask_automatically = fields.BooleanField(default=True)
    # A sign-in link names this random value (a new link replaces it, a use clears it); the
    # portal's cookie names `session_nonce` (signing out changes it).
    sign_in_nonce = fields.CharField(max_length=43, default="")
    sign_in_sent_at = fields.DatetimeField(null=True)
    session_nonce = fields.CharField(max_length=43, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "brand_owner"


class BrandClaim(Model):
    """A brand name or a GS1 company prefix a brand owner claims: a case naming the brand, or
    whose barcode begins with the prefix, is about the owner's goods."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    owner: fields.ForeignKeyRelation[BrandOwner] = fields.ForeignKeyField(
        "models.BrandOwner", related_name="claims", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=8)  # brand, gs1
    value = fields.CharField(max_length=200)  # as the owner wrote it
    key = fields.CharField(max_length=200, db_index=True)  # the folded name, or the digits

    class Meta:
        table = "brand_claim"
        unique_together = (("owner", "kind", "key"),)


class StoredFile(Model):
    """A checked file in the evidence store (workflows.evidence.storage.EvidenceFile's fields),
    reachable only through its row."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    storage_name = fields.CharField(max_length=80, unique=True)
    original_name = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=64)
    size = fields.IntField()
    received_sha256 = fields.CharField(max_length=64)
    stored_sha256 = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        abstract = True


class BrandOwnerDocument(StoredFile):
    """A proof of the right to a brand (a trademark certificate, a distribution contract),
    checked and stored like citizens' files, seen only by officers."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    owner: fields.ForeignKeyRelation[BrandOwner] = fields.ForeignKeyField(
        "models.BrandOwner", related_name="documents", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "brand_owner_document"


class BrandInquiry(Model):
    """A verified brand owner asked whether the goods of a case are genuine: by a signed link
    that takes one opinion until the deadline. The opinion stands on the case beside the
    inspector's findings."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "models.Case", related_name="brand_inquiries", on_delete=fields.RESTRICT
    )
    owner: fields.ForeignKeyRelation[BrandOwner] = fields.ForeignKeyField(
        "models.BrandOwner", related_name="inquiries", on_delete=fields.RESTRICT
    )
    # The owner's own reference, never the case's tracking code; the agency that asked.
    reference = fields.CharField(max_length=12, default="", db_default="", db_index=True)
    agency_code = fields.CharField(max_length=16, default="", db_default="")
    # None: asked automatically, when the case reached an agency.
    asked_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="brand_inquiries_asked", null=True,
        on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    due_at = fields.DatetimeField()
    link_nonce = fields.CharField(max_length=43)
    verdict = fields.CharField(max_length=16, default="")  # genuine, counterfeit, cannot_tell
    opinion = fields.TextField(default="")
    answered_at = fields.DatetimeField(null=True)
    # No longer wanted (staff withdrew it, or the case went to the police): the link stops.
    withdrawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "brand_inquiry"
        unique_together = (("case", "owner"),)


class GenuineGuide(Model):
    """How to tell a brand's genuine product from a fake, written by its verified owner and
    shown to citizens who name the brand on the report form once published."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    owner: fields.ForeignKeyRelation[BrandOwner] = fields.ForeignKeyField(
        "models.BrandOwner", related_name="guides", on_delete=fields.RESTRICT
    )
    brand = fields.CharField(max_length=200)  # one of the owner's claimed brands, as written
    brand_key = fields.CharField(max_length=200, db_index=True)  # folded
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    published = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "genuine_guide"


class GuidePhoto(StoredFile):
    """A photo of a genuine product's marks (the label, the stamp, the seal) in a guide."""
    _no_comments = True  # no "#:" field docs: Tortoise need not parse this file at start

    id = fields.IntField(primary_key=True)
    guide: fields.ForeignKeyRelation[GenuineGuide] = fields.ForeignKeyField(
        "models.GenuineGuide", related_name="photos", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "guide_photo"


__models__ = [ExplanationRequest, CaseFollower, SupportingReport, BrandOwner, BrandClaim,
              BrandOwnerDocument, BrandInquiry, GenuineGuide, GuidePhoto]
