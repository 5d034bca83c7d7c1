"""A case with the police is sealed: one rule, whatever brought it there (a referral, a
routing rule). The moment an agency that takes criminal referrals (config/agencies.toml)
handles a case or supports it, or the case is joined to one that is sealed, in the
transaction of that change — it and the reports joined to it as duplicates:

- every outside link about it closes: businesses' explanation requests and brand owners'
  inquiries still unanswered are withdrawn;
- its followers are mailed nothing more, its public updates stop (Open311's feed, follower
  mail), and every public or outside view shows it only as being handled by the competent
  authorities, naming no agency (`sealed_status`, `agency_shown`);
- its reporter is told only that "the competent authority" handles it;
- nobody outside can be asked about it any more (`Transition.asks_outside`);
- the audit log records the seal and what it closed (a `sealed` event after the change).

The seal stays when the police hand the case back: what was hidden stays hidden."""

from __future__ import annotations

import datetime as dt

from tortoise.backends.base.client import BaseDBAsyncClient

from workflows.audit.log import Actor
from workflows.audit.models import AuditEvent
from workflows.cases.actions import SEALED
from workflows.cases.events import CaseEvent
from workflows.cases.models import Case
from workflows.i18n.messages import N_
from workflows.parties.models import BrandInquiry, CaseFollower, ExplanationRequest
from workflows.reference.agencies import Agency

# Who its reporter and outside parties are told handles it.
COMPETENT_AUTHORITY = Agency(code="", name_vi="Cơ quan có thẩm quyền",
                             name_en=N_("The competent authority"), email="")
CANNOT_ASK_OUTSIDE = N_("The case is with the police: no business or brand owner may be asked "
                        "about it, so that nobody is warned.")


def is_sealed(case: Case) -> bool:
    return case.sealed_at is not None


def agency_shown(case: Case, agencies: dict[str, Agency]) -> Agency | None:
    """The agency a reporter, a supporter or an outside party is told handles the case."""
    if is_sealed(case):
        return COMPETENT_AUTHORITY
    return agencies.get(case.agency_code or "")


def police_codes(agencies: dict[str, Agency]) -> frozenset[str]:
    return frozenset(code for code, agency in agencies.items() if agency.criminal_referrals)


class Sealer:
    """The event listener that seals a case once its agency is a police unit. It runs first,
    so that every other listener of the same event already sees the case sealed (no public
    update, no follower mail, no brand owner asked)."""

    def __init__(self, agencies: dict[str, Agency]) -> None:
        self.police = police_codes(agencies)

    async def __call__(self, connection: BaseDBAsyncClient, event: CaseEvent,
                       recorded: AuditEvent) -> list[CaseEvent]:
        case = event.case
        if case is None or is_sealed(case):
            return []
        why = await self._with_the_police(connection, event, case)
        if why is None:
            return []
        # The reports joined to it as duplicates show its tracking code: sealed with it.
        joined = await Case.filter(duplicate_of_id=case.id, sealed_at__isnull=True).using_db(
            connection)
        return [await _seal(connection, each, why if each is case else "joined",
                            recorded.created_at) for each in (case, *joined)]

    async def _with_the_police(self, connection: BaseDBAsyncClient, event: CaseEvent,
                               case: Case) -> str | None:
        """Why the case is now with the police, or None: it handles the case, it supports it,
        or the case was joined to one that is sealed."""
        if case.agency_code in self.police:
            return "handles"
        after = event.after if isinstance(event.after, dict) else {}
        if event.action == "add_support" and after.get("agency") in self.police:
            return "supports"
        original = case.duplicate_of_id  # type: ignore[attr-defined]
        if original is not None and await Case.filter(
                id=original, sealed_at__isnull=False).using_db(connection).exists():
            return "joined"
        return None


async def _seal(connection: BaseDBAsyncClient, case: Case, why: str,
                now: dt.datetime) -> CaseEvent:
    """Seal one case in the change's transaction; the audit event saying what it closed."""
    await Case.filter(id=case.id).using_db(connection).update(sealed_at=now)
    case.sealed_at = now
    closed = {"explanations_withdrawn": await _withdraw(connection, ExplanationRequest, case,
                                                        now),
              "brand_inquiries_withdrawn": await _withdraw(connection, BrandInquiry, case, now),
              "followers_held": await CaseFollower.filter(
                  case_id=case.id, confirmed_at__isnull=False,
                  unsubscribed_at__isnull=True).using_db(connection).count()}
    return CaseEvent(case, Actor.system(), SEALED, after={"why": why, **closed})


async def _withdraw(connection: BaseDBAsyncClient,
                    model: type[ExplanationRequest] | type[BrandInquiry], case: Case,
                    now: dt.datetime) -> list[int]:
    """Close the links still open; the ids closed."""
    open_ones = model.filter(case_id=case.id, answered_at__isnull=True,
                             withdrawn_at__isnull=True).using_db(connection)
    ids: list[int] = list(await open_ones.values_list("id", flat=True))  # type: ignore[arg-type]
    if ids:
        await model.filter(id__in=ids).using_db(connection).update(withdrawn_at=now)
    return ids
