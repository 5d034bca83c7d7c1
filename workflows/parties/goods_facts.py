"""What an outside party — a business asked to explain, a brand owner asked for its opinion —
is shown of a case: the goods, the party's own reference and the agency that asked; never the
reporter, nor the case's tracking code (which opens its public page), nor where the case went
since. Their mails and pages are given this instead of the case, so that no template can
reach the reporter's fields (name, contact, description, street, the link they shared) or the
tracking code by a slip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workflows.cases.models import Case
from workflows.parties.models import BrandInquiry, ExplanationRequest


@dataclass(frozen=True)
class GoodsFacts:
    reference: str  # the party's own (workflows.parties.references)
    received_at: dt.datetime
    category: str
    product_group: str
    product_name: str
    brand: str
    barcode: str
    barcode_check_ok: bool | None
    label_origin: str
    price_vnd: int | None
    sales_channel: str
    platform: str  # the marketplace's name, never the link the reporter shared
    shop_name: str  # "" for a brand owner: the seller is the agency's to approach
    commune: str
    agency_code: str  # the agency that asked


def goods_facts(case: Case, asked: ExplanationRequest | BrandInquiry, *,
                with_seller: bool) -> GoodsFacts:
    """The facts of the goods as `asked` shows them; the shop's name only for the business,
    which is the shop or supplies it."""
    return GoodsFacts(asked.reference, case.created_at, case.category, case.product_group,
                      case.product_name, case.brand, case.barcode, case.barcode_check_ok,
                      case.label_origin, case.price_vnd, case.sales_channel, case.platform,
                      case.shop_name if with_seller else "", case.commune, asked.agency_code)
