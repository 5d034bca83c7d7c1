"""One folding for shop names, brands and staff search: however Vietnamese is written, the same
words fold to one text."""

from __future__ import annotations

import unicodedata

import pytest

from workflows.cases.duplicates import shop_bare_key, shop_key
from workflows.parties.brand_claims import brand_key
from workflows.reference.vietnamese import fold


def test_folding_drops_diacritics_case_and_extra_spaces():
    assert fold("  Nước Mắm   ĐẶC BIỆT ") == "nuoc mam dac biet"
    assert fold("Đường Phèn") == fold("duong phen")


@pytest.mark.parametrize(("old", "new"), [
    ("hòa", "hoà"), ("thủy", "thuỷ"), ("Hòa Bình", "Hoà Bình"), ("khỏe", "khoẻ"),
    ("Thúy", "Thuý"),
])
def test_old_and_new_tone_placement_fold_alike(old, new):
    assert fold(old) == fold(new) == fold(old.upper())


def test_composed_decomposed_and_bare_text_fold_alike():
    written = "Sạp Hoà Bình"
    assert fold(unicodedata.normalize("NFD", written)) == fold(written) == fold("SAP HOA BINH")


def test_shops_keep_their_letters_and_brands_fold():
    # Old and new tone placement, capitals and spaces make one shop; a name typed without
    # marks matches by its bare key; different letters are different shops.
    assert shop_key("Sạp Hoà Bình") == shop_key("  sạp  Hòa Bình")
    assert shop_bare_key("Sạp Hoà Bình") == shop_bare_key("sap hoa binh") == "sap hoa binh"
    for one, other in (("Tạp hóa Lan", "Tạp hóa Lân"), ("Quán Thu", "Quán Thư"),
                       ("Sạp Hà", "Sạp Hạ"), ("Đào", "Dao")):
        assert shop_key(one) != shop_key(other), (one, other)
    assert brand_key("Thuỷ Tiên") == brand_key("THỦY TIÊN") == brand_key("thuy tien")
