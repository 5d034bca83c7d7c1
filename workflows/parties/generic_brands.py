"""Which brand names are generic: what citizens write when goods carry no brand ("Ko rõ",
"không rõ nguồn gốc", "null"), what they say of the goods instead ("chính hãng", "hàng fake",
"rep 1:1", "loại 1", "VNXK"), or where the goods come from ("Đức", "TQ", "Chinese", "hàng
Trung Quốc", "made in China", "Quảng Châu"). No owner may claim them and a case naming them
names no owner; else, since brands compare by their folded letters and digits, the owner of
"Ko rõ" would be asked about every unbranded case.

The rule judges the whole name, never a part of it: a name is generic only when all of its
folded letters and digits are such an answer. "Thái" and "hàng Thái" are generic; "Thái
Dương", "Sữa Việt", "Đức Thành", "Anh Đào", "Trung Nguyên" and "Vinamilk" are brands that
contain a country's short form and stay claimable, and so is a company named after a country
with more words ("Hàn Quốc Ginseng Co."). A word before a country ("hàng", "made in"), a place
and a word about the goods count only when written as that word, with its own diacritics or
none: "Hằng Nga", a name, folds as "hàng Nga" (Russian goods) does, but is not written so.

The words are data (generic_brands.toml); every country's English names, ISO codes and the
Vietnamese names pycountry carries are added from pycountry."""

from __future__ import annotations

import functools
import gettext
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pycountry

from workflows.reference.vietnamese import fold

WORDS_FILE = Path(__file__).with_name("generic_brands.toml")
Generic = Literal["no_brand", "quality", "country", "place"]
MOST_QUALITY_WORDS = 3  # "hàng VNXK chính hãng loại 1" is a sentence, not a brand


def letters_and_digits(text: str) -> str:
    """What a brand is compared by: "HƯNG-THỊNH®" -> "hungthinh"."""
    return "".join(char for char in fold(text) if char.isalnum())


def _marked(text: str) -> str:
    """The letters and digits with their diacritics, in one case: "Hằng Nga" -> "hằngnga".
    Vietnamese letters are one character each, folded or not, so it lines up with the key."""
    return "".join(char for char in unicodedata.normalize("NFC", text).casefold()
                   if char.isalnum())


@dataclass(frozen=True)
class Term:
    written: str  # "hàngnhập": how it must be written, or as `key` without diacritics
    key: str  # "hangnhap"


@dataclass(frozen=True)
class Reading:
    """What is left of a name to judge, as its key and, letter for letter, as written."""

    key: str
    marked: str

    @classmethod
    def of(cls, text: str) -> Reading:
        key, marked = letters_and_digits(text), _marked(text)
        # Where folding changed the length ("ǅ"), diacritics cannot be compared letter for
        # letter: the name is judged by its key alone, as it was before they counted.
        return cls(key, marked if len(marked) == len(key) else key)

    def starts_with(self, term: Term) -> bool:
        return (self.key.startswith(term.key)
                and self.marked[:len(term.written)] in (term.written, term.key))

    def after(self, length: int) -> Reading:
        return Reading(self.key[length:], self.marked[length:])


@dataclass(frozen=True)
class GenericWords:
    """The lists of generic_brands.toml and pycountry, each entry as a brand key."""

    words: frozenset[str]
    goods: tuple[Term, ...]
    negations: tuple[str, ...]
    negations_before_a_verb: tuple[str, ...]
    verbs: tuple[str, ...]
    nouns: frozenset[str]  # one noun, or two one after the other ("nguồn gốc xuất xứ")
    negated_verbs: frozenset[str]  # "khongro", "chuaro": what follows a noun put first
    countries: frozenset[str]
    codes: frozenset[str]  # ISO 3166 alpha-2 and alpha-3, generic only alone
    leads: tuple[Term, ...]
    leads_as_a_word: tuple[str, ...]
    tails: frozenset[str]
    places: tuple[Term, ...]
    quality: tuple[Term, ...]
    after_goods: tuple[Term, ...]  # quality words that count only after a word for the goods


def _keys(entries: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for key in map(letters_and_digits, entries) if key))


def _terms(entries: Iterable[str]) -> tuple[Term, ...]:
    return tuple(dict.fromkeys(Term(_marked(entry), letters_and_digits(entry))
                               for entry in entries if letters_and_digits(entry)))


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
    return GenericWords(
        words=frozenset(_keys(data["words"])),
        goods=_terms(no_brand["goods"]),
        negations=negations,
        negations_before_a_verb=before_a_verb,
        verbs=verbs,
        nouns=frozenset([*nouns, *(first + second for first in nouns for second in nouns
                                   if first != second)]),
        negated_verbs=frozenset(negation + verb for negation in (*negations, *before_a_verb)
                                for verb in verbs),
        countries=frozenset(_keys([*names, *countries["names"], *countries["demonyms"]])),
        codes=frozenset(_keys(codes)),
        leads=_terms(countries["leads"]),
        leads_as_a_word=tuple(fold(lead) for lead in countries["leads_as_a_word"]),
        tails=frozenset(_keys(countries["tails"])),
        places=_terms(data["places"]["names"]),
        quality=_terms(data["quality"]["words"]),
        after_goods=_terms(data["quality"]["after_goods"]))


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
           for goods in ("", *(goods.key for goods in words.goods))):
        return True
    # "nguồn gốc không rõ", "xuất xứ: chưa rõ"
    return any(key[:cut] in words.nouns and key[cut:] in words.negated_verbs
               for cut in range(1, len(key)))


def _in_a_row(terms: tuple[Term, ...], name: Reading, most: int) -> bool:
    """The whole name is one to `most` of `terms`, one after the other ("rep" "1:1")."""
    return most > 0 and any(
        name.starts_with(term) and (term.key == name.key or _in_a_row(
            terms, name.after(len(term.key)), most - 1)) for term in terms)


def _says_what_the_goods_are(words: GenericWords, name: Reading) -> bool:
    """Quality words alone ("chính hãng", "super fake") or after a word for the goods ("hàng
    fake", "hàng bãi")."""
    if _in_a_row(words.quality, name, MOST_QUALITY_WORDS):
        return True
    after_goods = (*words.quality, *words.after_goods)
    return any(name.starts_with(goods) and _in_a_row(
        after_goods, name.after(len(goods.key)), MOST_QUALITY_WORDS) for goods in words.goods)


def _origin_ends(words: GenericWords, rest: Reading) -> bool:
    """What may follow a country or a place: nothing, a tail ("nội địa") or quality words
    ("loại 1", "xuất khẩu")."""
    return (not rest.key or rest.key in words.tails
            or _in_a_row(words.quality, rest, MOST_QUALITY_WORDS - 1))


def _origin(words: GenericWords, name: Reading) -> Generic | None:
    """A country's name or short form, or a place, alone or with a tail."""
    if any(name.key[:cut] in words.countries and _origin_ends(words, name.after(cut))
           for cut in range(len(name.key), 0, -1)):
        return "country"
    if any(name.starts_with(place) and _origin_ends(words, name.after(len(place.key)))
           for place in words.places):
        return "place"
    return None


def _after_leads(words: GenericWords, name: Reading, most: int = 2) -> list[Reading]:
    """The name, and what follows one or two words that put an origin after them ("hàng",
    "made in": "hàng made in China")."""
    found = [name]
    for lead in words.leads:
        if most and name.starts_with(lead) and len(lead.key) < len(name.key):
            found += _after_leads(words, name.after(len(lead.key)), most - 1)
    return found


def _names_an_origin(words: GenericWords, text: str, name: Reading) -> Generic | None:
    if name.key in words.codes:
        return "country"
    starts = [name]
    first_word, _, rest = fold(re.sub(r"[\W_]+", " ", text)).partition(" ")
    if first_word in words.leads_as_a_word and rest:  # "in China", but "Inuk" is a brand
        starts.append(name.after(len(first_word)))
    for start in starts:
        for reading in _after_leads(words, start):
            kind = _origin(words, reading)
            if kind:
                return kind
    return None


def generic(text: str) -> Generic | None:
    """Whether a brand as written is a generic answer, and which kind; None: it may be a
    brand."""
    words = generic_words()
    name = Reading.of(text)
    if _says_no_brand(words, name.key):
        return "no_brand"
    if _says_what_the_goods_are(words, name):
        return "quality"
    return _names_an_origin(words, text, name)
