"""What an outside party — a business asked to explain, a brand owner asked for its opinion —
is shown of a case: the goods and the case's reference, never the reporter. Their mails and
pages are given this instead of the case, so that no template can reach the reporter's
fields (name, contact, description, street, the link they shared) by a slip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workflows.cases.models import Case


@dataclass(frozen=True)
class GoodsFacts:
    tracking_code: str
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
    agency_code: str | None


def goods_facts(case: Case, *, with_seller: bool) -> GoodsFacts:
    """The facts of the goods; the shop's name only for the business, which is the shop or
    supplies it."""
    return GoodsFacts(case.tracking_code, case.created_at, case.category, case.product_group,
                      case.product_name, case.brand, case.barcode, case.barcode_check_ok,
                      case.label_origin, case.price_vnd, case.sales_channel, case.platform,
                      case.shop_name if with_seller else "", case.commune, case.agency_code)
