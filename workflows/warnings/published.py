"""Which warnings people see: every approved one (and, marked so, every withdrawn one) on the
public list and its feeds; the ones about a product where it is checked or reported; staff's
own list with the drafts."""

from __future__ import annotations

from tortoise.expressions import Q

from workflows.access.models import StaffUser
from workflows.access.roles import OFFICER
from workflows.cases.barcodes import barcode_key
from workflows.cases.field_kinds import BARCODE_PATTERN
from workflows.parties.brand_claims import claimable_key
from workflows.warnings.models import ProductWarning, WarningPhoto

PUBLIC_STATES = ("published", "withdrawn")
SHOWN = 200
BARCODE_KEY_CHARS, BATCH_KEY_CHARS = 32, 100  # the columns' lengths


async def public_warnings() -> list[ProductWarning]:
    """Approved warnings, newest first, the withdrawn ones with them (their readers must learn
    of the withdrawal)."""
    return await ProductWarning.filter(status__in=PUBLIC_STATES).order_by(
        "-published_at", "-id").limit(SHOWN).prefetch_related("photos")


async def standing_warnings() -> list[ProductWarning]:
    """Approved and not withdrawn, newest first: what /genuine shows above the guides."""
    return await ProductWarning.filter(status="published").order_by("-published_at").limit(
        SHOWN).prefetch_related("photos")


async def public_warning(warning_id: int) -> ProductWarning | None:
    return await ProductWarning.get_or_none(id=warning_id, status__in=PUBLIC_STATES
                                            ).prefetch_related("photos")


async def warnings_about(code: str = "", brand: str = "") -> list[ProductWarning]:
    """The standing (approved, not withdrawn) warnings about a code printed on the package (a
    barcode or a batch) or a brand; none for what could be no printed code."""
    code_match = barcode_key(code) if code.strip() and BARCODE_PATTERN.match(code.strip()) \
        else ""
    brand_match = claimable_key(brand) if brand.strip() else None
    matches = [*([Q(barcode_key=code_match)] if len(code_match) <= BARCODE_KEY_CHARS
                 and code_match else []),
               *([Q(batch_key=code_match)] if len(code_match) <= BATCH_KEY_CHARS
                 and code_match else []),
               *([Q(brand_key=brand_match)] if brand_match else [])]
    if not matches:
        return []
    found = ProductWarning.filter(Q(*matches, join_type=Q.OR), status="published")
    return await found.order_by("-published_at").limit(10).prefetch_related("photos")


async def staff_warnings(user: StaffUser) -> list[ProductWarning]:
    """An officer's list is every agency's; a lead's is their own agency's."""
    found = ProductWarning.all() if user.role == OFFICER else ProductWarning.filter(
        agency_code=user.agency_code or "")
    return await found.order_by("-created_at").limit(SHOWN)


async def staff_warning(user: StaffUser, warning_id: int) -> ProductWarning | None:
    warning = await ProductWarning.get_or_none(id=warning_id).select_related(
        "drafted_by", "approved_by", "withdrawn_by").prefetch_related("photos")
    if warning is None or (user.role != OFFICER and warning.agency_code != user.agency_code):
        return None
    return warning


async def photo_of(warning: ProductWarning | None, photo_id: int) -> WarningPhoto | None:
    """One of the warning's photos (None: no such warning, or not its photo)."""
    if warning is None:
        return None
    return await WarningPhoto.get_or_none(id=photo_id, warning_id=warning.id)
