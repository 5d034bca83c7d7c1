"""Which brand names are generic: what citizens write when goods carry no brand ("Ko rõ",
"không rõ nguồn gốc") or where they come from ("Đức", "TQ", "hàng Trung Quốc", "made in
China"). No owner may claim them and a case naming them names no owner; else, since brands
compare by their folded letters and digits, the owner of "Ko rõ" would be asked about every
unbranded case.

The rule judges the whole name, never a part of it: a name is generic only when all of its
folded letters and digits are such an answer. "Thái" and "hàng Thái" are generic; "Thái
Dương", "Sữa Việt", "Đức Thành", "Anh Đào" and "Vinamilk" are brands that contain a country's
short form and stay claimable. A word before a country ("hàng", "made in") counts only when it
is written as that word, with its own diacritics or none: "Hằng Nga", a name, folds as "hàng
Nga" (Russian goods) does, but is not written so.

The words are data (generic_brands.toml); every country's English names, ISO codes and the
Vietnamese names pycountry carries are added from pycountry."""

from __future__ import annotations

import functools
import gettext
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pycountry

from workflows.cases.search import fold

WORDS_FILE = Path(__file__).with_name("generic_brands.toml")
Generic = Literal["no_brand", "country"]


def letters_and_digits(text: str) -> str:
    """What a brand is compared by: "HƯNG-THỊNH®" -> "hungthinh"."""
    return "".join(char for char in fold(text) if char.isalnum())


def _marked(text: str) -> str:
    """The letters and digits with their diacritics, in one case: "Hằng Nga" -> "hằngnga".
    Vietnamese letters are one character each, folded or not, so it lines up with the key."""
    return "".join(char for char in unicodedata.normalize("NFC", text).casefold()
                   if char.isalnum())


@dataclass(frozen=True)
class Lead:
    written: str  # "hàngnhập": how it must be written, or as `key` without diacritics
    key: str  # "hangnhap"


@dataclass(frozen=True)
class GenericWords:
    """The lists of generic_brands.toml and pycountry, each entry as a brand key."""

    words: frozenset[str]
    goods: tuple[str, ...]
    negations: tuple[str, ...]
    negations_before_a_verb: tuple[str, ...]
    verbs: tuple[str, ...]
    nouns: frozenset[str]  # one noun, or two one after the other ("nguồn gốc xuất xứ")
    negated_verbs: frozenset[str]  # "khongro", "chuaro": what follows a noun put first
    countries: frozenset[str]
    codes: frozenset[str]  # ISO 3166 alpha-2 and alpha-3, generic only alone
    leads: tuple[Lead, ...]
    tails: tuple[str, ...]


def _keys(entries: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for key in map(letters_and_digits, entries) if key))


def _pycountry() -> tuple[set[str], set[str]]:
    """Every country's names (English, and Vietnamese where pycountry has them) and codes."""
    vietnamese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"])
    names: set[str] = set()
    codes: set[str] = set()
    for country in pycountry.countries:
        codes.update((country.alpha_2, country.alpha_3))
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if isinstance(name, str):
                names.update((name, vietnamese.gettext(name)))
    return names, codes


@functools.cache
def generic_words() -> GenericWords:
    with WORDS_FILE.open("rb") as file:
        data: dict[str, Any] = tomllib.load(file)
    no_brand, countries = data["no_brand"], data["countries"]
    names, codes = _pycountry()
    nouns = _keys(no_brand["nouns"])
    negations = _keys(no_brand["negations"])
    before_a_verb = _keys(no_brand["negations_before_a_verb"])
    verbs = _keys(no_brand["verbs"])
    leads = (Lead(_marked(lead), letters_and_digits(lead)) for lead in countries["leads"])
    return GenericWords(
        words=frozenset(_keys(data["words"])),
        goods=_keys(no_brand["goods"]),
        negations=negations,
        negations_before_a_verb=before_a_verb,
        verbs=verbs,
        nouns=frozenset([*nouns, *(first + second for first in nouns for second in nouns
                                   if first != second)]),
        negated_verbs=frozenset(negation + verb for negation in (*negations, *before_a_verb)
                                for verb in verbs),
        countries=frozenset(_keys([*names, *countries["names"]])),
        codes=frozenset(_keys(codes)),
        leads=tuple(leads),
        tails=_keys(countries["tails"]))


def _negated(words: GenericWords, key: str) -> bool:
    """A negation, then a verb and up to two nouns ("khongro", "kconhan"), or after most
    negations the nouns alone ("khongnhan")."""
    for negation in (*words.negations, *words.negations_before_a_verb):
        if not key.startswith(negation):
            continue
        rest = key[len(negation):]
        if negation in words.negations and rest in words.nouns:
            return True
        if any(rest.startswith(verb) and (rest == verb or rest[len(verb):] in words.nouns)
               for verb in words.verbs):
            return True
    return False


def _says_no_brand(words: GenericWords, key: str) -> bool:
    if key in words.words:
        return True
    if any(key.startswith(goods) and _negated(words, key[len(goods):])
           for goods in ("", *words.goods)):
        return True
    # "nguồn gốc không rõ", "xuất xứ: chưa rõ"
    return any(key[:cut] in words.nouns and key[cut:] in words.negated_verbs
               for cut in range(1, len(key)))


def _country(words: GenericWords, key: str) -> bool:
    """A country's name or short form, alone or with a word after it ("Nhật nội địa")."""
    return key in words.countries or any(
        key.endswith(tail) and key[:-len(tail)] in words.countries for tail in words.tails)


def _names_a_country(words: GenericWords, text: str, key: str) -> bool:
    if key in words.codes or _country(words, key):
        return True
    marked = _marked(text)
    return any(key.startswith(lead.key) and marked[:len(lead.written)] in (lead.written, lead.key)
               and _country(words, key[len(lead.key):]) for lead in words.leads)


def generic(text: str) -> Generic | None:
    """Whether a brand as written is a generic answer, and which kind; None: it may be a
    brand."""
    words = generic_words()
    key = letters_and_digits(text)
    if _says_no_brand(words, key):
        return "no_brand"
    if _names_a_country(words, text, key):
        return "country"
    return None
