"""Realistic demonstration cases, inserted in bulk: for trying the back office and the
statistics, and for the benchmarks (`intake demo --cases N`).

Cases are spread over the last two years with plausible proportions of categories, products,
sales channels, statuses and outcomes, routed by the configured rules. They carry no audit
trail, attachments or reporter contact details, and their PINs are unknown: they are not
anyone's reports.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from workflows.cases.duplicates import shop_bare_key, shop_key
from workflows.cases.models import Case
from workflows.cases.report_fields import FIELDS
from workflows.cases.search import search_text
from workflows.cases.tracking import new_tracking_code
from workflows.cases.web_pages import page_key
from workflows.figures.freezer import freeze_ended_months
from workflows.figures.frozen import forget_frozen_months
from workflows.reference.loading import ReferenceData
from workflows.reference.routing import RoutingFacts, route

# (category, weight): counterfeit and smuggled goods dominate what citizens report.
CATEGORY_WEIGHTS = (("counterfeit", 30), ("imitation", 14), ("smuggled", 14), ("substandard", 10),
                    ("food_safety", 12), ("trade_fraud", 7), ("labelling", 6),
                    ("consumer_dispute", 7))
# (product group, product, brands)
PRODUCTS = (
    ("food", "Nước mắm", ("Phú Quốc", "Nam Ngư", "Chinsu")),
    ("food", "Sữa bột trẻ em", ("Vinamilk", "Abbott", "Meiji")),
    ("food", "Bánh kẹo nhập khẩu", ("Orion", "Kinh Đô", "Oreo")),
    ("food", "Rượu vang", ("Đà Lạt", "Chivas", "Hennessy")),
    ("food", "Bia lon", ("Heineken", "Sài Gòn", "Tiger")),
    ("cosmetics", "Kem chống nắng", ("Anessa", "La Roche-Posay", "Sunplay")),
    ("cosmetics", "Son môi", ("Maybelline", "3CE", "Lemonade")),
    ("drugs", "Thực phẩm chức năng", ("Blackmores", "DHC", "Kirkland")),
    ("drugs", "Thuốc cảm cúm", ("Panadol", "Decolgen", "Tiffy")),
    ("clothing", "Giày thể thao", ("Nike", "Adidas", "Biti's")),
    ("clothing", "Túi xách", ("Louis Vuitton", "Gucci", "Chanel")),
    ("electronics", "Sạc điện thoại", ("Samsung", "Apple", "Anker")),
    ("electronics", "Tai nghe không dây", ("Apple", "Sony", "JBL")),
    ("other", "Nước giặt", ("OMO", "Ariel", "Comfort")),
    ("agricultural_inputs", "Phân bón", ("Đầu Trâu", "Bình Điền", "Lâm Thao")),
    ("agricultural_inputs", "Thuốc bảo vệ thực vật", ("Syngenta", "Bayer", "Map Pacific")),
    ("other", "Mũ bảo hiểm", ("Sơn", "Asia", "Protec")),
)
SALES_CHANNEL_WEIGHTS = (("market", 25), ("shop", 38), ("online", 30), ("street", 7))
SHOPS = ("Tạp hóa Minh Anh", "Cửa hàng Thành Đạt", "Shop Hàng Hiệu 24h", "Đại lý Phúc Lộc",
         "Siêu thị mini Hòa Bình", "Quầy thuốc Tâm An", "Mỹ phẩm Ngọc Trinh", "Điện máy Sao Việt",
         "Cửa hàng nông sản Xanh", "Sạp chợ số 12")
PLATFORMS = ("Shopee", "Lazada", "TikTok Shop", "Facebook", "Zalo")
OUTCOME_WEIGHTS = (("violation_confirmed", 55), ("not_confirmed", 25), ("referred", 10),
                   ("insufficient_information", 10))
CLOSED_SHARE = {"resolved": 0.55, "closed": 0.3, "rejected": 0.15}
OPEN_STATUSES = ("received", "triaged", "assigned", "in_progress", "waiting")
BATCH = 5_000


@dataclass(frozen=True)
class DemoOptions:
    cases: int
    seed: int = 2026
    years: int = 2
    now: dt.datetime | None = None


def _pick(weights: tuple[tuple[str, int], ...], rng: random.Random) -> str:
    return rng.choices([code for code, _ in weights], [w for _, w in weights])[0]


def _demo_case(rng: random.Random, reference: ReferenceData, now: dt.datetime,
               span_seconds: int, pin_digest: str) -> dict[str, Any]:
    category = _pick(CATEGORY_WEIGHTS, rng)
    group, product, brands = rng.choice(PRODUCTS)
    channel = _pick(SALES_CHANNEL_WEIGHTS, rng)
    communes = reference.places.communes or ("Phường Nha Trang",)
    commune = rng.choice(communes)
    # More reports lately: the square root skews ages towards the present.
    age = dt.timedelta(seconds=int(span_seconds * rng.random() ** 1.6))
    created = now - age
    decision = route(RoutingFacts(category, group, channel, commune), reference.rules)
    levels = reference.service_levels
    shop = rng.choice(SHOPS) if channel != "online" else f"{rng.choice(SHOPS)} Online"
    brand = rng.choice(brands)
    # Older cases are mostly settled; the last weeks' mostly open.
    settled = rng.random() < min(0.95, age.days / 45)
    status = (rng.choices(list(CLOSED_SHARE), list(CLOSED_SHARE.values()))[0] if settled
              else rng.choice(OPEN_STATUSES if decision.agency_code else ("received",)))
    agency_code = decision.agency_code
    if status in ("resolved", "closed") and not agency_code:
        # No rule matched: an intake officer gave it to an agency by hand, which resolved it.
        agency_code = next(code for code, agency in reference.agencies.items()
                           if not agency.criminal_referrals)
    due = levels.due_at(category, created, agency_code)
    case: dict[str, Any] = dict(
        tracking_code=new_tracking_code(), pin_digest=pin_digest, intake_channel=rng.choices(
            ("web", "api", "hotline", "letter", "walk_in"), (70, 10, 14, 3, 3))[0],
        category=category, product_name=product, brand=brand, product_group=group,
        sales_channel=channel, shop_name=shop, shop_key=shop_key(shop), shop_bare=shop_bare_key(shop),
        search_text=search_text(product, brand, shop),
        province=reference.places.province, commune=commune,
        commune_code=reference.places.code_of(commune),
        online_url=(url := f"https://shop.example/{rng.randrange(10**6)}"
                    if channel == "online" else ""), page_key=page_key(url),
        platform=rng.choice(PLATFORMS) if channel == "online" else "",
        description="Dữ liệu minh họa.",
        # The other fields their declarations give a demonstration value for.
        **{field.name: field.sample(rng) for field in FIELDS if field.sample is not None},
        status=status, agency_code=agency_code,
        routing_reason=decision.reason, due_at=due, triage_due_at=levels.triage_due_at(created),
        created_at=created, updated_at=created,
    )
    if status in ("resolved", "closed"):
        # Most cases are settled in time; some take much longer.
        days = levels.resolution_days(category, agency_code)
        took = dt.timedelta(days=rng.triangular(1, days * 2.2, days * 0.8))
        case["resolved_at"] = case["updated_at"] = min(created + took, now)
        case["outcome"] = _pick(OUTCOME_WEIGHTS, rng)
        case["public_outcome"] = "Đã xử lý theo quy định."
        if case["outcome"] == "violation_confirmed":
            case["fine_vnd"] = rng.randrange(5, 200) * 500_000
            case["seized_quantity"] = rng.randrange(1, 4)  # kinds of goods
            case["seized_value_vnd"] = rng.randrange(1, 500) * rng.randrange(10, 800) * 1000
    return case


def demo_cases(reference: ReferenceData, options: DemoOptions) -> Iterator[dict[str, Any]]:
    """Each case as its fields' values (not a model instance: a million of those cost more
    than the database's work)."""
    rng = random.Random(options.seed)
    now = options.now or dt.datetime.now(dt.UTC)
    span = int(dt.timedelta(days=365 * options.years).total_seconds())
    pin_digest = secrets.token_hex(32)  # matches no PIN: nobody can open these as a reporter
    for _ in range(options.cases):
        yield _demo_case(rng, reference, now, span, pin_digest)


async def insert_demo_cases(reference: ReferenceData, options: DemoOptions,
                            progress: Callable[[int], None] | None = None,
                            only_if_empty: bool = False) -> int:
    """Insert the cases in batches of BATCH rows, one transaction each; return how many.
    `only_if_empty`: none at all if the database already holds a case."""
    if only_if_empty and await Case.exists():
        return 0
    done, batch = 0, []
    try:
        for case in demo_cases(reference, options):
            batch.append(case)
            if len(batch) == BATCH:
                done += await _insert(batch)
                batch = []
                if progress:
                    progress(done)
        if batch:
            done += await _insert(batch)
            if progress:
                progress(done)
    finally:
        # Demo cases land in past months, some perhaps frozen (before, or by a report while
        # the batches went in): no correction follows them, so those months count again —
        # frozen anew here, so that no report pays for it.
        await forget_frozen_months()
        await freeze_ended_months(reference.calendar, options.now)
    return done


def _columns() -> tuple[list[str], dict[str, Any]]:
    """Every column of the case table but the id, and each one's value when a demo case does
    not set it (the model's default), so that the rows need no model instance."""
    columns, defaults = [], {}
    for name, column in Case._meta.fields_db_projection.items():
        field = Case._meta.fields_map[name]
        if field.pk:
            continue
        default = field.default() if callable(field.default) else field.default
        columns.append(column)
        defaults[column] = default
    return columns, defaults


async def _insert(batch: list[dict[str, Any]]) -> int:
    """One transaction per batch: COPY on PostgreSQL, one executemany on SQLite."""
    columns, defaults = _columns()
    rows = [tuple(case.get(column, defaults[column]) for column in columns) for case in batch]
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            raw = connection._connection  # asyncpg's, inside this transaction
            await raw.copy_records_to_table("case", records=rows, columns=columns)
        else:
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" for _ in columns)
            await connection.execute_many(f'INSERT INTO "case" ({names}) VALUES ({marks})',
                                          [list(row) for row in rows])
    return len(batch)
