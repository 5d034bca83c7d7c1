"""The fixed vocabularies of a report: categories (Open311 service codes), product groups,
sales channels and the channels a case can arrive through.

Each entry carries its Vietnamese and English label; codes are what the database, the routing
rules and the API use, so they never change once published.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    vi: str
    en: str
    hint_vi: str = ""
    hint_en: str = ""

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.vi

    def hint(self, language: str) -> str:
        return self.hint_en if language == "en" else self.hint_vi


CATEGORIES: tuple[Term, ...] = (
    Term(
        "counterfeit", "Hàng giả", "Counterfeit goods",
        "Hàng không đúng nguồn gốc, giả mạo nhãn hiệu hoặc công dụng.",
        "Goods passed off as another maker's, or that do not do what they claim.",
    ),
    Term(
        "imitation", "Hàng nhái, vi phạm sở hữu trí tuệ", "Imitation / IP-infringing goods",
        "Nhãn, bao bì, kiểu dáng bắt chước sản phẩm của hãng khác.",
        "Labels, packaging or designs copied from another brand.",
    ),
    Term(
        "smuggled", "Hàng nhập lậu", "Smuggled goods",
        "Hàng nước ngoài không có hóa đơn, chứng từ, nhãn phụ tiếng Việt.",
        "Foreign goods without invoices, papers or a Vietnamese sub-label.",
    ),
    Term(
        "substandard", "Hàng kém chất lượng", "Substandard goods",
        "Hàng không đạt tiêu chuẩn, quy chuẩn chất lượng công bố.",
        "Goods below their declared quality standard.",
    ),
    Term(
        "food_safety", "Không bảo đảm an toàn thực phẩm", "Unsafe food",
        "Thực phẩm ôi thiu, quá hạn, không rõ nguồn gốc, chứa chất cấm.",
        "Spoiled, expired, untraceable food, or food with banned substances.",
    ),
    Term(
        "trade_fraud", "Gian lận thương mại (cân đo, giá cả)", "Trade fraud (weights, prices)",
        "Cân thiếu, đo sai, bán sai giá niêm yết.",
        "Short weight, false measures, prices above the displayed price.",
    ),
    Term(
        "labelling", "Nhãn hàng hóa, tiêu chuẩn, đo lường", "Labelling, standards, measurement",
        "Thiếu nhãn, nhãn sai, không ghi hạn dùng, sai định lượng.",
        "Missing or false labels, no expiry date, wrong net quantity.",
    ),
    Term(
        "consumer_dispute", "Quyền lợi người tiêu dùng", "Consumer rights dispute",
        "Người bán từ chối bảo hành, đổi trả, bồi thường.",
        "A seller refuses warranty, exchange, refund or compensation.",
    ),
)

PRODUCT_GROUPS: tuple[Term, ...] = (
    Term("food", "Thực phẩm, đồ uống", "Food and drink"),
    Term("drugs", "Thuốc, thực phẩm chức năng", "Medicines and supplements"),
    Term("cosmetics", "Mỹ phẩm", "Cosmetics"),
    Term("electronics", "Điện tử, điện gia dụng", "Electronics and appliances"),
    Term("clothing", "Quần áo, giày dép, túi xách", "Clothing, shoes and bags"),
    Term("agricultural_inputs", "Vật tư nông nghiệp (phân bón, thuốc BVTV, giống)",
         "Agricultural inputs (fertiliser, pesticides, seeds)"),
    Term("other", "Khác", "Other"),
)

SALES_CHANNELS: tuple[Term, ...] = (
    Term("shop", "Cửa hàng", "Shop"),
    Term("market", "Chợ", "Market"),
    Term("online", "Trên mạng (sàn TMĐT, mạng xã hội)", "Online (marketplace, social media)"),
    Term("street", "Bán rong, vỉa hè", "Street vendor"),
)

INTAKE_CHANNELS: tuple[Term, ...] = (
    Term("web", "Trang web", "Web form"),
    Term("api", "Ứng dụng (API)", "API"),
    Term("hotline", "Đường dây nóng", "Hotline"),
    Term("letter", "Thư, công văn", "Letter"),
    Term("walk_in", "Trực tiếp", "In person"),
)

LABEL_ORIGINS: tuple[Term, ...] = (
    Term("vn", "Việt Nam", "Vietnam"),
    Term("foreign", "Nước ngoài", "Another country"),
    Term("unknown", "Không ghi / không rõ", "Not stated / unknown"),
)

STATUSES: tuple[Term, ...] = (
    Term("received", "Đã tiếp nhận", "Received"),
    Term("triaged", "Đã phân loại", "Triaged"),
    Term("assigned", "Đã giao xử lý", "Assigned"),
    Term("in_progress", "Đang xử lý", "In progress"),
    Term("waiting", "Chờ bổ sung thông tin", "Waiting for information"),
    Term("resolved", "Đã giải quyết", "Resolved"),
    Term("rejected", "Không thụ lý", "Rejected"),
    Term("closed", "Đã đóng", "Closed"),
)
# A supporting agency's task on a case (workflows.states.SUPPORT_TRANSITIONS).
SUPPORT_STATUSES: tuple[Term, ...] = (
    Term("open", "Đang phối hợp", "Open"),
    Term("done", "Đã hoàn thành", "Done"),
)


def codes(terms: tuple[Term, ...]) -> frozenset[str]:
    return frozenset(term.code for term in terms)


def find(terms: tuple[Term, ...], code: str) -> Term | None:
    return next((term for term in terms if term.code == code), None)


CATEGORY_CODES = codes(CATEGORIES)
PRODUCT_GROUP_CODES = codes(PRODUCT_GROUPS)
SALES_CHANNEL_CODES = codes(SALES_CHANNELS)
LABEL_ORIGIN_CODES = codes(LABEL_ORIGINS)
