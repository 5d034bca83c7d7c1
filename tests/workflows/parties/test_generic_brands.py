"""No owner may claim what citizens write when goods carry no brand, what they say of the goods
instead, or where they come from: every spelling the outside tester got through (issue 31, both
rounds) is refused with a message that names the brand field, and real brands that merely
contain such a word in a longer name, or fold as one does, are not."""

from __future__ import annotations

import pytest

from workflows.i18n.translations import translations
from workflows.parties.brand_claims import claimable_key, read_claims

# What the tester registered and an officer verified, and their spellings and kin.
NO_BRAND = [
    "Ko rõ", "Không rõ nguồn gốc", "KO RÕ", "k rõ", "K RÕ XUẤT XỨ", "kg rõ", "chưa rõ",
    "không biết", "không có", "không nhãn", "không nhãn hiệu", "ko có thương hiệu",
    "không-có nhãn hiệu", "không rõ nguồn gốc xuất xứ", "Chưa rõ xuất xứ", "k có nhãn",
    "ko nhãn mác", "nguồn gốc không rõ", "Xuất xứ: chưa rõ", "Hàng không rõ nguồn gốc",
    "sp ko rõ nguồn gốc", "khong ro nguon goc", "N/A", "Không rõ",
    # The second round: placeholders and "unknown" ("None", "không", "ko" were refused already).
    "vô danh", "Hàng vô danh", "KXĐ", "null", "NULL", "nil", "None", "không", "ko",
]
# What the goods are, instead of who makes them: genuine, fake, a grade, export, clearance.
QUALITY = [
    "hàng xuất khẩu", "VNXK", "hàng VNXK", "XK", "chính hãng", "hàng chính hãng", "hàng fake",
    "super fake", "siêu fake", "rep 1:1", "REP 1-1", "replica", "like auth", "authentic",
    "auth", "loại 1", "hàng loại 1", "hàng cao cấp", "F1", "hàng F1", "fake loại 1",
    "hàng VNXK chính hãng", "hàng bãi", "hàng thanh lý", "thanh ly", "hàng si", "hàng xịn",
]
# Where the goods are made, a city or a region, as citizens write the origin.
PLACES = [
    "Quảng Châu", "Quang Chau", "hàng Quảng Châu", "Quảng Châu loại 1", "Thâm Quyến",
    "Nghĩa Ô", "Yiwu", "Guangzhou", "made in Guangzhou", "hàng Quảng Đông",
]
COUNTRIES = [
    "VN", "TQ", "Đức", "Germany", "Việt Nam", "Viet Nam", "Trung Quốc", "Tàu", "Mỹ", "Hoa Kỳ",
    "USA", "Hàn Quốc", "Hàn", "Nhật", "Nhật Bản", "Thái Lan", "Thái", "Pháp", "Anh", "Úc",
    "Nga", "Lào", "Campuchia", "Đài Loan", "Hồng Kông", "Singapore", "Malaysia", "Indonesia",
    "Ấn Độ", "China", "People's Republic of China", "DEU", "CHN", "JP",
    # A word for the goods, an import or an origin before a country, or a word after it.
    "Hàng Trung Quốc", "HÀNG TQ", "hàng Việt", "Hàng Đức", "hàng nhập Thái",
    "Hàng nhập khẩu Hàn Quốc", "Made in China", "MADE-IN VIETNAM", "made in PRC",
    "Xuất xứ Việt Nam", "xuất xứ: Trung Quốc", "Nhật nội địa", "hàng nội địa Nhật",
    "Hãng Nhật", "hang nga",
    # The second round: short, old and slang names, demonyms, two leads, "in" as a word.
    "Trung", "hàng Trung", "Anh Quốc", "Nhật Bổn", "Hàn Xẻng", "Tung Của", "Chinese", "Korean",
    "Japanese", "American", "German", "hàng made in china", "in China", "IN-VIETNAM",
    "Trung Quốc loại 1", "hàng Thái xuất khẩu", "VN xuất khẩu",
]
# Real brands that contain a generic word in a longer name, each beside that generic word.
BRANDS = [
    ("Sữa Việt", "Việt"), ("Vinamilk", "VN"), ("Thái Dương", "Thái"),
    ("Đức Thành", "Đức"), ("Anh Đào", "Anh"), ("Trung Nguyên", "Trung Hoa"),
    ("Việt Tiến", "hàng Việt"), ("Mỹ Hảo", "hàng Mỹ"), ("Nhật Linh", "Nhật"), ("Chung Thái", "Thái"),
    ("TH true MILK", "TH"), ("Khang", "k có hãng"), ("An Khang", "k rõ hãng"),
    ("Kotex", "Ko rõ"), ("Made in Heaven", "Made in Japan"),
    ("Hàng Không", "Hàng không rõ nguồn gốc"), ("Hàng Đào", "Hàng Đức"),
    # "Hằng" is a name that folds as "hàng" (goods) does: written so, it is no "hàng".
    ("Hằng Nga", "hàng Nga"), ("Hằng Anh", "hàng Anh"),
    # The second round. A company named after a country with more words is a brand: the whole
    # name is judged ("Hàn Quốc Ginseng Co." as "Thái Dương"; it was claimable before too).
    ("Trung Nguyên", "Trung"), ("Hàn Quốc Ginseng Co.", "Hàn Quốc"), ("Dutch Lady", "Dutch"),
    ("American Tourister", "American"), ("Chính Nghĩa", "chính hãng"), ("Repsol", "rep 1:1"),
    ("Formula 1", "F1"), ("NAN", "null"), ("Shanghai Tang", "Shanghai"),
    ("Inuk", "in UK"),  # "in" counts as a word of its own
    # A place and a word about the goods count only written as themselves: "Quang Châu" and
    # "Thành Lý" are people's names; "Bai" is a drink, "bãi" only after "hàng".
    ("Quang Châu", "Quảng Châu"), ("Thành Lý", "hàng thanh lý"), ("Bai", "hàng bãi"),
]


def brand_problem(name: str) -> str:
    """The brand field's message for a registration claiming `name`, in Vietnamese."""
    claims, problems = read_claims(f"Hưng Thịnh\n{name}", "")
    problem = problems["brands"]
    assert [claim.value for claim in claims] == ["Hưng Thịnh"]
    return translations("vi").gettext(problem.message).format(**problem.params)


@pytest.mark.parametrize("name", NO_BRAND)
def test_the_words_for_no_brand_are_refused_in_every_spelling(name):
    message = brand_problem(name)
    assert f"Nhãn hiệu “{name}”" in message and "không có nhãn hiệu" in message, message
    assert claimable_key(name) is None


@pytest.mark.parametrize("name", ["-", "?", "x", "...", "0", "1:1"])
def test_placeholders_without_two_letters_stay_refused(name):
    """Refused before the second round too, by their shape: no letters, or one."""
    claims, problems = read_claims(f"Hưng Thịnh\n{name}", "")
    assert [claim.value for claim in claims] == ["Hưng Thịnh"] and "brands" in problems
    assert claimable_key(name) is None


# What the brand field's message says of each kind, after "Nhãn hiệu “…”".
SAYS = {"quality": "nói hàng thế nào", "place": "là tên một thành phố hay một vùng",
        "country": "là tên một nước"}


@pytest.mark.parametrize(("name", "kind"), [*((name, "quality") for name in QUALITY),
                                            *((name, "place") for name in PLACES),
                                            *((name, "country") for name in COUNTRIES)])
def test_what_the_goods_are_or_where_they_come_from_is_refused(name, kind):
    message = brand_problem(name)
    assert f"Nhãn hiệu “{name}” {SAYS[kind]}" in message, message
    assert claimable_key(name) is None


@pytest.mark.parametrize("brand, generic", BRANDS)
def test_a_real_brand_around_a_generic_word_is_accepted_and_the_word_alone_is_not(brand,
                                                                                   generic):
    """The rule refuses the whole generic answer, never a name that contains it."""
    claims, problems = read_claims(f"{brand}\n{generic}", "")
    assert [claim.value for claim in claims] == [brand]
    assert problems["brands"].params == {"brand": generic}
    assert claimable_key(brand) == claims[0].key and claimable_key(generic) is None
