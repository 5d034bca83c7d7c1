"""An SMS's text as it goes on the air: Vietnamese folded to plain ASCII when accents are off,
and how many parts it takes — what the operator bills and the monthly budget counts.

A text of printable ASCII travels in GSM 7-bit: 160 characters in one part, 153 a part once it
is split (the rest carries the reassembly header); `^{}\\[~]|` take two each. Anything else
(accented Vietnamese) travels in UCS-2: 70 UTF-16 units in one part, 67 a part once split.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

GSM_SINGLE, GSM_SPLIT = 160, 153
UCS2_SINGLE, UCS2_SPLIT = 70, 67
# In GSM 7-bit these are an escape and a character: two of a part's 160.
GSM_EXTENSION = frozenset("^{}\\[~]|")
# What folding cannot get by dropping marks: đ has none to drop, and typographic punctuation
# has plain twins; the backtick is not in the GSM alphabet at all.
STAND_INS = {"đ": "d", "Đ": "D", "‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
             "–": "-", "—": "-", "−": "-", "…": "...", "•": "-", "·": "-", "`": "'",
             "\u00a0": " ", "\t": " ", "\r\n": "\n", "\r": "\n", "«": '"', "»": '"',
             "€": "EUR", "₫": "d"}
UNKNOWN = "?"


@dataclass(frozen=True)
class SmsEncoding:
    ucs2: bool  # UCS-2 (Kannel's coding=2), else GSM 7-bit
    units: int  # septets, or UTF-16 units
    parts: int


def fold(text: str) -> str:
    """Vietnamese without accents, in printable ASCII: "Đã nhận phản ánh" -> "Da nhan phan anh".
    Characters that have no ASCII spelling become "?"."""
    for original, plain in STAND_INS.items():
        text = text.replace(original, plain)
    bare = "".join(character for character in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(character))
    return "".join(character if _plain(character) else UNKNOWN
                   for character in unicodedata.normalize("NFC", bare))


def sms_text(text: str, accents: bool) -> str:
    """The text an SMS carries: as written (composed, so that each letter is one unit), or
    folded."""
    return unicodedata.normalize("NFC", text) if accents else fold(text)


def _plain(character: str) -> bool:
    return character == "\n" or " " <= character <= "~"


def encoding(text: str) -> SmsEncoding:
    if all(_plain(character) for character in text):
        septets = len(text) + sum(character in GSM_EXTENSION for character in text)
        return SmsEncoding(False, septets, _parts(septets, GSM_SINGLE, GSM_SPLIT))
    units = len(text.encode("utf-16-be")) // 2
    return SmsEncoding(True, units, _parts(units, UCS2_SINGLE, UCS2_SPLIT))


def _parts(units: int, single: int, split: int) -> int:
    return 1 if units <= single else math.ceil(units / split)
