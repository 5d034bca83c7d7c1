"""Whether digits a brand owner claims are a GS1 company prefix — the beginning of barcodes GS1
assigned to one company — and not a range shared by many. GS1 splits its numbers among member
organisations by a 3-digit prefix (893: GS1 Vietnam), and each organisation gives its members
company prefixes whose length GS1 publishes for each range (8934…: 7 digits, 8935…: 8). A claim
on "893", or on fewer digits than the range's company prefixes, would name every company's
barcodes that begin so: its owner would be asked about other companies' goods. biip carries
GS1's two tables (biip.gs1_prefixes)."""

from __future__ import annotations

from dataclasses import dataclass

from biip.gs1_prefixes import GS1CompanyPrefix, GS1Prefix

from workflows.i18n.messages import N_, Problem

MAX_PREFIX_DIGITS = 12  # a GTIN-13 keeps at least its check digit for the item
# Where GS1's length table lists no company prefix for a range (an organisation's range not
# yet published), the claim must have this many digits: member organisations outside North
# America's old UPC ranges now assign 7 digits or more (GS1 Vietnam's shortest are 7).
UNLISTED_MIN_DIGITS = 7
# Companies hold prefixes only in a member organisation's range, which biip names "GS1
# <organisation>" ("GS1 Vietnam", "GS1 Hong Kong, China"); every other range biip lists is no
# company's: GS1 Global Office's own (950), EPC General Manager Numbers (951), examples (952),
# GTIN-8 numbers given out one product at a time (960-969), ranges kept for future use, and
# the numbers of NO_COMPANY. A range whose use biip does not know is refused, not guessed.
NOT_A_MEMBER_RANGE = ("Global Office", "GTIN-8", "reserved")
# Numbers used inside a shop or a region, books, serials, coupons and refunds.
IN_SHOPS_BOOKS_COUPONS = ("Restricted Circulation", "ISBN", "ISSN", "Bookland", "coupon",
                          "Coupon", "Refund receipts")

FORMAT = N_("A GS1 company prefix is the first 6 to 12 digits of your barcodes, such as "
            "8934567: one a line.")
MEMBER_RANGE = N_("GS1 company prefix “{prefix}” is the range of {organisation}, shared by "
                  "every company it serves: give the longer prefix GS1 assigned to you, the "
                  "first digits of your barcodes, such as 8934567.")
TOO_SHORT = N_("GS1 company prefix “{prefix}” is too short: GS1 assigns company prefixes of "
               "at least {length} digits in that range, so these digits begin other "
               "companies' barcodes too.")
NO_COMPANY = N_("GS1 company prefix “{prefix}”: barcodes beginning so are numbers for use "
                "inside shops or regions, books, serials or coupons, which GS1 assigns to no "
                "company.")
GS1_OWN = N_("GS1 company prefix “{prefix}”: barcodes beginning so are GS1's own numbers, "
             "eight-digit barcodes GS1 gives out one product at a time, examples, or a range "
             "not in use: no company holds them as its prefix.")


@dataclass(frozen=True)
class PrefixRange:
    """The GS1 member organisation's range that digits fall in, and the length of the
    company prefixes GS1 assigns there (0: none, the range is not for companies)."""

    organisation: GS1Prefix
    shortest: int


def prefix_range(digits: str) -> PrefixRange | None:
    """The range of the barcodes beginning with `digits` (None: no GS1 range). Padding is
    safe: GS1's length table decides a range within that range's company prefix, so when
    `digits` are shorter than the table needs, every company prefix there is longer too."""
    padded = digits.ljust(13, "0")
    organisation = GS1Prefix.extract(padded)
    if organisation is None:
        return None
    if not _companies_range(organisation.usage):
        return PrefixRange(organisation, 0)
    company = GS1CompanyPrefix.extract(padded)
    return PrefixRange(organisation, len(company.value) if company else UNLISTED_MIN_DIGITS)


def _companies_range(usage: str) -> bool:
    return usage.startswith("GS1 ") and not any(
        word in usage for word in (*NOT_A_MEMBER_RANGE, *IN_SHOPS_BOOKS_COUPONS))


def company_prefix_problem(digits: str) -> Problem | None:
    """Why `digits` (ASCII digits as typed, spaces and dots removed) are no company's prefix;
    None when they are one."""
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_PREFIX_DIGITS:
        return Problem(FORMAT)
    found = prefix_range(digits)
    if found is None:
        return Problem(FORMAT)
    if found.shortest == 0:
        usage = found.organisation.usage
        in_shops = any(word in usage for word in IN_SHOPS_BOOKS_COUPONS)
        return Problem(NO_COMPANY if in_shops else GS1_OWN, {"prefix": digits})
    if digits == found.organisation.value:
        return Problem(MEMBER_RANGE, {"prefix": digits,
                                      "organisation": found.organisation.usage})
    if len(digits) < len(found.organisation.value):
        return Problem(FORMAT)
    if len(digits) < found.shortest:
        return Problem(TOO_SHORT, {"prefix": digits, "length": found.shortest})
    return None


def company_prefixes_of(gtin: str) -> list[str]:
    """The beginnings of a barcode's digits (a GTIN-13, or a GTIN-8 as it is) that could be a
    company's claimed prefix: from the range's company prefix length to 12 digits. A claim
    made before this rule on fewer digits, or on a range for no company, names no case."""
    found = prefix_range(gtin) if gtin else None
    if found is None or found.shortest == 0:
        return []
    return [gtin[:length] for length in range(found.shortest, MAX_PREFIX_DIGITS + 1)
            if length <= len(gtin)]
