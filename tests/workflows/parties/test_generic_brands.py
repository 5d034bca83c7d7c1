"""No owner may claim what citizens write when goods carry no brand, or where they come from:
every spelling the outside tester got through (issue 31) is refused with a message that names
the brand field, and real brands that merely contain such a word in a longer name are not."""

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


@pytest.mark.parametrize("name", COUNTRIES)
def test_a_country_alone_or_as_the_goods_origin_is_refused(name):
    message = brand_problem(name)
    assert f"Nhãn hiệu “{name}” là tên một nước" in message, message
    assert claimable_key(name) is None


@pytest.mark.parametrize("brand, generic", BRANDS)
def test_a_real_brand_around_a_generic_word_is_accepted_and_the_word_alone_is_not(brand,
                                                                                   generic):
    """The rule refuses the whole generic answer, never a name that contains it."""
    claims, problems = read_claims(f"{brand}\n{generic}", "")
    assert [claim.value for claim in claims] == [brand]
    assert problems["brands"].params == {"brand": generic}
    assert claimable_key(brand) == claims[0].key and claimable_key(generic) is None
