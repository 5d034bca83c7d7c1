"""How Vietnamese text is compared: one folding for shop names, brands and staff search.

People write the same words many ways: composed or decomposed (NFC, NFD), with the tone mark
where the old spelling puts it or where the new one does ("hòa", "hoà"; "thủy", "thuỷ"), in
capitals, with two spaces, or without diacritics at all, as staff and many phones type ("hoa
binh"). Dropping every mark makes all of these one text; "đ" has no mark to drop and is "d".
"""

from __future__ import annotations

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """"Nước Mắm  ĐẶC BIỆT" -> "nuoc mam dac biet"; "Sạp Hoà Bình" and "sạp Hòa Bình" ->
    "sap hoa binh"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())
