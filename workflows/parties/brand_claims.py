"""Which brands a brand owner claims, and which verified owners a case is about: a case names
the brand (compared by its letters and digits, without diacritics or case) or carries a barcode that
begins with the owner's GS1 company prefix — a fake often copies the genuine barcode, or a
prefix of it, and a wrong check digit does not stop it being the owner's business. Which
names are no one's brand: generic_brands.py; which digits are a company's: company_prefixes.py."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from workflows.cases.models import Case
from workflows.cases.text import clean_text, has_words
from workflows.db.sql import numbered_marks
from workflows.i18n.messages import N_, Problem
from workflows.parties.company_prefixes import company_prefix_problem, company_prefixes_of
from workflows.parties.generic_brands import generic, letters_and_digits
from workflows.parties.models import BrandClaim, BrandOwner

MAX_CLAIMS = 20
MAX_BRAND_CHARS = 200
MAX_KEY_CHARS = 200  # the stored key's column
NOT_A_BRAND = N_("“{brand}” names no one's goods: give your brand as it is printed on the label.")
# Why a generic name is refused (workflows.parties.generic_brands), naming the field.
GENERIC = {
    "no_brand": N_("Brand “{brand}” is what people write when goods carry no brand: it names "
                   "no one's goods. Give your brand as it is printed on the label."),
    "quality": N_("Brand “{brand}” says what the goods are — genuine, fake, a grade, for "
                  "export, cleared stock — not who makes them. Give your brand as it is "
                  "printed on the label."),
    "country": N_("Brand “{brand}” names a country, where goods come from, not who makes "
                  "them. Give your brand as it is printed on the label."),
    "place": N_("Brand “{brand}” names a city or a region where goods are made, not who "
                "makes them. Give your brand as it is printed on the label."),
}


@dataclass(frozen=True)
class Claim:
    kind: str  # brand, gs1
    value: str  # as written
    key: str  # what a case is compared by


def brand_key(text: str) -> str | None:
    """What a brand is compared by: its letters and digits folded as staff search folds them.
    Citizens write "Coca-Cola", "coca cola" or "COCA‑COLA®" for one trademark, and a name
    that differs only in spaces and signs is the same mark to a trademark office. None when
    nothing is left, or when folding made it longer than any stored key ("ß" becomes "ss",
    "ﬃ" "ffi"): such a name matches no claim."""
    key = letters_and_digits(text)
    return key if key and len(key) <= MAX_KEY_CHARS else None


def not_a_brand(text: str, key: str) -> Problem | None:
    """Why a name (and its key) names no one's goods: a lone character, bare digits, or a
    generic answer; None: an owner may claim it and a case can name it."""
    if len(key) < 2 or not any(char.isalpha() for char in key):
        return Problem(NOT_A_BRAND, {"brand": text})
    kind = generic(text)
    return Problem(GENERIC[kind], {"brand": text}) if kind else None


def claimable_key(text: str) -> str | None:
    """The key of a brand as written, when it names someone's goods (None otherwise): the one
    rule for registrations, cases, guides and the report form's guide lookup, so an owner
    verified before a word was found generic is neither asked nor shown under it."""
    key = brand_key(text)
    return key if key is not None and not_a_brand(text, key) is None else None


def gtin13(barcode: str) -> str:
    """The barcode as a GTIN-13's digits ("" when it is not a GTIN-8/12/13/14): what a company
    prefix is the beginning of."""
    digits = barcode.replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit()):
        return ""
    if len(digits) in (12, 13):
        return digits.zfill(13)
    if len(digits) == 14:
        return digits[1:]  # the packaging level digit first
    if len(digits) == 8:
        return digits  # EAN-8 numbers come from a smaller allocation: compared as they are
    return ""


def _lines(typed: str) -> list[str] | Problem:
    cleaned = clean_text(typed, multiline=True)
    if isinstance(cleaned, Problem):
        return cleaned
    return [line.strip() for line in cleaned.replace(",", "\n").splitlines() if line.strip()]


def read_claims(brands: str, prefixes: str) -> tuple[list[Claim], dict[str, Problem]]:
    """The brands (one a line) and GS1 company prefixes (one a line) of a registration."""
    problems: dict[str, Problem] = {}
    claims: list[Claim] = []
    names = _lines(brands)
    if isinstance(names, Problem):
        problems["brands"] = names
        names = []
    for name in names:
        key = brand_key(name)
        if len(name) > MAX_BRAND_CHARS or not has_words(name) or key is None:
            problems["brands"] = Problem(N_("Each brand is a name of at most {limit} characters "
                                            "on a line of its own."), {"limit": MAX_BRAND_CHARS})
            continue
        refused = not_a_brand(name, key)
        if refused:
            problems["brands"] = refused
            continue
        claims.append(Claim("brand", name, key))
    numbers = _lines(prefixes)
    if isinstance(numbers, Problem):
        problems["gs1_prefixes"] = numbers
        numbers = []
    for number in numbers:
        digits = number.replace(" ", "").replace(".", "")
        wrong = company_prefix_problem(digits)
        if wrong:
            problems["gs1_prefixes"] = wrong
            continue
        claims.append(Claim("gs1", digits, digits))
    unique = list({(claim.kind, claim.key): claim for claim in claims}.values())
    if not any(claim.kind == "brand" for claim in unique) and "brands" not in problems:
        problems["brands"] = Problem(N_("Give at least one brand, one a line."))
    if len(unique) > MAX_CLAIMS:
        problems["brands"] = Problem(N_("At most {limit} brands and prefixes together: "
                                        "register the others separately."),
                                     {"limit": MAX_CLAIMS})
    return unique, problems


def case_keys(case: Case) -> Q | None:
    """What claims a case matches, as a query on BrandClaim; None when it names nothing."""
    brand, prefixes = _case_claim_keys(case)
    condition: Q | None = Q(kind="brand", key=brand) if brand else None
    if prefixes:
        condition = Q(kind="gs1", key__in=prefixes) if condition is None else (
            condition | Q(kind="gs1", key__in=prefixes))
    return condition


def _case_claim_keys(case: Case) -> tuple[str | None, list[str]]:
    return _claim_keys(case.brand or "", case.barcode or "")


def _claim_keys(brand_text: str, barcode: str) -> tuple[str | None, list[str]]:
    """The brand key and the GS1 prefixes a brand and a barcode could match."""
    brand = claimable_key(brand_text) if brand_text else None
    return brand, company_prefixes_of(gtin13(barcode))


async def verified_owners_of(connection: BaseDBAsyncClient | None,
                             case: Case) -> list[BrandOwner]:
    """The verified brand owners the case is about, each once, in the order they registered."""
    return await verified_owners_named(connection, case.brand or "", case.barcode or "")


async def verified_owners_named(connection: BaseDBAsyncClient | None, brand_text: str,
                                barcode: str) -> list[BrandOwner]:
    """The verified owners of a brand or of a barcode's company prefix, each once, in the order
    they registered. Fixed SQL: it runs inside every filing that names a brand (an event
    listener), where building the ORM's query for the join and the alternatives cost more than
    running it."""
    brand, prefixes = _claim_keys(brand_text, barcode)
    if brand is None and not prefixes:
        return []
    client = connection or BrandClaim._meta.db
    values: list[str] = [*([brand] if brand else []), *prefixes]
    places = numbered_marks(client.capabilities.dialect, len(values))
    wanted = []
    if brand:
        wanted.append(f"(c.kind = 'brand' AND c.key = {places.pop(0)})")
    if prefixes:
        wanted.append(f"(c.kind = 'gs1' AND c.key IN ({', '.join(places)}))")
    _, rows = await client.execute_query(
        "SELECT DISTINCT c.owner_id AS owner_id FROM brand_claim c JOIN brand_owner o ON "
        f"o.id = c.owner_id WHERE o.status = 'verified' AND ({' OR '.join(wanted)})", values)
    if not rows:
        return []
    return await BrandOwner.filter(id__in=[int(row["owner_id"]) for row in rows]).using_db(
        connection).order_by("id")
