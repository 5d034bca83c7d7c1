"""What a staff member chose for themself: which kinds of notice mail they turned off."""

from __future__ import annotations

from collections.abc import Iterable

from workflows.access.models import StaffUser
from workflows.mail.staff_notices import STAFF_NOTICE_KINDS


async def set_muted_notices(user: StaffUser, muted: Iterable[str]) -> list[str]:
    """Only the kinds that exist are kept; the rest of what a form sent is ignored."""
    kept = sorted(set(muted) & STAFF_NOTICE_KINDS)
    await StaffUser.filter(id=user.id).update(muted_notices=kept)
    user.muted_notices = kept
    return kept
