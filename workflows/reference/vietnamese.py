"""How Vietnamese text is compared: one folding for brands and staff search, and for shop names
a key that keeps the letters' marks.

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


# The five tone marks (huyền, sắc, hỏi, ngã, nặng); the other marks (â, ă, ơ, ư) make letters.
TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")


def tone_key(text: str) -> str:
    """Where the old and the new spelling put a word's tone mark no longer matters, and case
    and spaces do not; every letter and mark still does: "Sạp Hoà Bình" and "sạp Hòa Bình" are
    one key, "Tạp hóa Lan" and "Tạp hóa Lân", or "Quán Thu" and "Quán Thư", are two. Each
    word's tone mark goes after its letters."""
    words = []
    for word in unicodedata.normalize("NFD", text).casefold().split():
        tones = "".join(char for char in word if char in TONES)
        words.append("".join(char for char in word if char not in TONES) + tones)
    return unicodedata.normalize("NFC", " ".join(words))
