"""What an outside party — a business asked to explain, a brand owner asked for its opinion —
is shown of a case: the goods (the fields declared for it: workflows.cases.report_fields),
the party's own reference and the agency that asked; never the reporter, nor the case's
tracking code (which opens its public page), nor where the case went since. Their mails and
pages are given this instead of the case, so that no template can reach the reporter's
fields (name, contact, description, street, the link they shared) or the tracking code by a
slip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workflows.cases.models import Case
from workflows.cases.report_fields import BRAND_OWNER, BUSINESS, ReportField, facts_of, shown_to
from workflows.parties.models import BrandInquiry, ExplanationRequest


@dataclass(frozen=True)
class GoodsFacts:
    reference: str  # the party's own (workflows.parties.references)
    received_at: dt.datetime
    agency_code: str  # the agency that asked
    facts: tuple[tuple[ReportField, Any], ...]  # the fields shown to this party, with values
    barcode_check_ok: bool | None  # False: the barcode's check digit is wrong


def goods_facts(case: Case, asked: ExplanationRequest | BrandInquiry) -> GoodsFacts:
    """The facts of the goods as `asked` shows them: a business is shown the shop's name
    (it is the shop, or supplies it), a brand owner is not — the seller is the agency's to
    approach."""
    audience = BUSINESS if isinstance(asked, ExplanationRequest) else BRAND_OWNER
    return GoodsFacts(asked.reference, case.created_at, asked.agency_code,
                      facts_of(case, shown_to(audience)), case.barcode_check_ok)
