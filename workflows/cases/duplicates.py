"""Other cases that may be about the same goods or seller: the same barcode, the same shop in
the same commune or ward, or the same online page. Shown on the case page so that staff join
up reports instead of inspecting one shop twice."""

from __future__ import annotations

from tortoise.expressions import Q

from workflows.access.models import StaffUser
from workflows.access.visibility import visible_cases
from workflows.cases.models import Case
from workflows.reference.vietnamese import fold, tone_key

MAX_LISTED = 20
MAX_SHOP_KEY = 200  # the column's; folding lengthens a few letters ("ß" is "ss")


def shop_key(shop_name: str) -> str:
    """"SẠP SỐ  12" and "Sạp số 12" are the same shop, and so are "Sạp Hoà Bình" and "sạp Hòa
    Bình" (the tone mark where either spelling puts it); "Tạp hóa Lan" and "Tạp hóa Lân" are
    two shops: the offer to add to a report must not join reports about two sellers."""
    return tone_key(shop_name)[:MAX_SHOP_KEY]


def shop_bare_key(shop_name: str) -> str:
    """The name without any mark, for a name typed without them ("sap hoa binh")."""
    return fold(shop_name)[:MAX_SHOP_KEY]


def _same_shop(shop: str, commune: str) -> Q:
    """A name typed without marks matches any spelling of its letters; one typed with them,
    its own spelling, or a name stored without marks."""
    marked, bare = shop_key(shop), shop_bare_key(shop)
    if marked == bare:
        return Q(shop_bare=bare, commune=commune)
    return Q(shop_key=marked, commune=commune) | Q(shop_key=bare, commune=commune)


def same_goods_condition(barcode: str, shop: str, commune: str, page: str) -> Q | None:
    """The same barcode (`barcode_key`), the same shop (its name, as typed: `_same_shop`) in
    the same commune or ward, or the same online page (`page_key`); None when nothing is given
    to compare."""
    conditions = []
    if barcode:
        conditions.append(Q(barcode_key=barcode))
    if shop.strip() and commune:
        conditions.append(_same_shop(shop, commune))
    if page:
        conditions.append(Q(page_key=page))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def _same_goods_or_seller(case: Case) -> Q | None:
    return same_goods_condition(case.barcode_key, case.shop_name, case.commune, case.page_key)


async def possible_duplicates(case: Case, user: StaffUser) -> list[Case]:
    """Only among the cases this user may see: a match must not reveal another agency's case."""
    condition = _same_goods_or_seller(case)
    if condition is None:
        return []
    return await (visible_cases(user).filter(condition).exclude(id=case.id)
                  .order_by("-created_at").limit(MAX_LISTED))
