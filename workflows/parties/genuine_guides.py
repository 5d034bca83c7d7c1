"""How to tell a genuine product from a fake, published by the verified owner of the brand:
text and photos of the marks (the label, the stamp, the seal), shown to citizens on the report
form when they name the brand, and on a public page. Photos are checked like citizens' files
and must be pictures (they are shown, not downloaded). An officer may take a guide down; an
owner whose verification is withdrawn no longer has its guides shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict

from tortoise.transactions import in_transaction

from workflows.access.limits import Allowance
from workflows.access.models import StaffUser
from workflows.audit.log import Actor, append_event
from workflows.cases.filing import FILES_FIELD, FilingService, evidence_record
from workflows.cases.filing_refusals import InvalidReport
from workflows.cases.text import required_words
from workflows.evidence.uploads import Upload, count_and_size
from workflows.i18n.messages import N_, Errors, Problem
from workflows.parties.brand_claims import brand_key, claimable_key
from workflows.parties.brand_inquiries import SHOWN_PHOTO_TYPES
from workflows.parties.models import BrandClaim, BrandOwner, GenuineGuide, GuidePhoto

MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 10000
MAX_PHOTOS = 10
SHOWN_PER_BRAND = 3


class GuideNotFound(Exception):
    """No guide of this owner by that number."""


async def _brand(owner: BrandOwner, typed: str) -> str | None:
    """The owner's claimed brand the form names, as the owner wrote it (never a generic one
    claimed before the rule: its guide could not be shown)."""
    key = claimable_key(typed)
    if key is None:
        return None
    claim = await BrandClaim.filter(owner_id=owner.id, kind="brand", key=key).first()
    return claim.value if claim else None


async def save_guide(service: FilingService, owner: BrandOwner, guide_id: int | None,
                     fields: Mapping[str, str], uploads: Sequence[Upload], allowance: Allowance,
                     address: str) -> GenuineGuide:
    """A new guide (`guide_id` None) or the owner's changes to one of its own, with any new
    photos; published when the form says so."""
    guide = None
    if guide_id is not None:
        guide = await GenuineGuide.get_or_none(id=guide_id, owner_id=owner.id)
        if guide is None:
            raise GuideNotFound()
    errors: Errors = {}
    brand = await _brand(owner, fields.get("brand", ""))
    if brand is None:
        errors["brand"] = Problem(N_("Choose one of the brands you registered."))
    texts: dict[str, str] = {}
    for name, empty, limit, multiline in (
            ("title", N_("Give the guide a title."), MAX_TITLE_CHARS, False),
            ("body", N_("Describe how to tell the genuine product."), MAX_BODY_CHARS, True)):
        written = required_words(fields.get(name, ""), empty, limit, multiline=multiline)
        if isinstance(written, Problem):
            errors[name] = written
        else:
            texts[name] = written
    too_many = count_and_size(uploads, service.policy)
    had = await GuidePhoto.filter(guide_id=guide.id).count() if guide else 0
    if too_many or had + len(uploads) > MAX_PHOTOS:
        errors[FILES_FIELD] = too_many or Problem(
            N_("A guide has at most {limit} photos."), {"limit": MAX_PHOTOS})
    if errors or brand is None:
        raise InvalidReport(errors)
    published = fields.get("published") == "1"
    async with service.stored_evidence(uploads, allowance, address) as evidence:
        if any(file.content_type not in SHOWN_PHOTO_TYPES for file in evidence):
            raise InvalidReport({FILES_FIELD: Problem(N_(
                "A guide shows photos (JPEG, PNG, WebP), not documents."))})
        async with in_transaction() as connection:
            values = {"brand": brand, "brand_key": brand_key(brand), "published": published,
                      **texts}
            if guide is None:
                guide = await GenuineGuide.create(using_db=connection, owner=owner, **values)
            else:
                await GenuineGuide.filter(id=guide.id).using_db(connection).update(**values)
            for file in evidence:
                await GuidePhoto.create(using_db=connection, guide=guide, **asdict(file))
            await append_event(connection, case=None, actor=Actor("brand_owner",
                                                                  str(owner.id)),
                               action="genuine_guide_saved",
                               after={"guide": guide.id, "brand": brand,
                                      "published": published,
                                      "photos": [evidence_record(file) for file in evidence]})
    return await GenuineGuide.get(id=guide.id).prefetch_related("photos")


async def owner_guides(owner: BrandOwner) -> list[GenuineGuide]:
    return await GenuineGuide.filter(owner_id=owner.id).prefetch_related("photos").order_by("id")


async def owner_guide(owner: BrandOwner, guide_id: int) -> GenuineGuide:
    guide = await GenuineGuide.get_or_none(id=guide_id, owner_id=owner.id).prefetch_related(
        "photos")
    if guide is None:
        raise GuideNotFound()
    return guide


def _shown() -> dict[str, object]:
    return {"published": True, "owner__status": "verified"}


async def guides_for_brand(typed: str) -> list[GenuineGuide]:
    """The published guides of a brand a citizen typed (without diacritics or case); none
    for a generic name ("Ko rõ", "hàng Trung Quốc"), whoever claimed it."""
    key = claimable_key(typed)
    if key is None:
        return []
    return await GenuineGuide.filter(brand_key=key, **_shown()).select_related(
        "owner").prefetch_related("photos").order_by("-updated_at").limit(SHOWN_PER_BRAND)


async def published_guides() -> list[GenuineGuide]:
    """Every published guide, by brand: the public page; a guide under a generic name,
    claimed before the rule, is not shown."""
    guides = await GenuineGuide.filter(**_shown()).select_related("owner").prefetch_related(
        "photos").order_by("brand_key", "-updated_at")
    return [guide for guide in guides if claimable_key(guide.brand)]


async def shown_photo(guide_id: int, photo_id: int) -> GuidePhoto | None:
    """A photo of a published guide of a verified owner under a brand: what anyone may
    see."""
    photo = await GuidePhoto.get_or_none(id=photo_id, guide_id=guide_id, guide__published=True,
                                         guide__owner__status="verified").select_related("guide")
    return photo if photo is not None and claimable_key(photo.guide.brand) else None


async def own_photo(owner: BrandOwner, guide_id: int, photo_id: int) -> GuidePhoto | None:
    """A photo of one of the owner's guides, published or not: the owner's own pages."""
    return await GuidePhoto.get_or_none(id=photo_id, guide_id=guide_id,
                                        guide__owner_id=owner.id)


async def remove_photo(owner: BrandOwner, guide_id: int, photo_id: int) -> bool:
    """The photo leaves the guide (its file is swept later as no row names it)."""
    photo = await own_photo(owner, guide_id, photo_id)
    if photo is None:
        return False
    await photo.delete()
    return True


async def take_down(officer: StaffUser, owner_id: int, guide_id: int) -> bool:
    """An officer takes a published guide off the public pages (the owner may correct and
    publish it again); recorded in the audit trail. False: no such published guide."""
    async with in_transaction() as connection:
        if not await GenuineGuide.filter(id=guide_id, owner_id=owner_id, published=True).using_db(
                connection).update(published=False):
            return False
        await append_event(connection, case=None, actor=Actor("staff", str(officer.id)),
                           action="genuine_guide_taken_down",
                           after={"guide": guide_id, "brand_owner": owner_id})
    return True
