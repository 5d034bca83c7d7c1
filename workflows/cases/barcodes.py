"""What a barcode on the product says: a wrong check digit is a strong sign of a fake label, and
the GS1 prefix tells which country's GS1 office issued it (893 = GS1 Vietnam).

A GS1 prefix says where the code was issued, not where the goods were made, so staff see it as
a hint beside the origin printed on the label, never as proof.
"""

from __future__ import annotations

from dataclasses import dataclass

from biip import ParseError
from biip.gs1_prefixes import GS1Prefix
from biip.gtin import Gtin

GS1_VIETNAM_PREFIX = "893"
GTIN_LENGTHS = (8, 12, 13, 14)  # EAN-8, UPC-A, EAN-13, GTIN-14


@dataclass(frozen=True)
class BarcodeCheck:
    check_digit_ok: bool | None  # None: not a GTIN we can check (other symbology, stamp code)
    gs1_prefix: str = ""
    gs1_office: str = ""

    @property
    def issued_in_vietnam(self) -> bool:
        return self.gs1_prefix == GS1_VIETNAM_PREFIX


def barcode_key(barcode: str) -> str:
    """What two reports' barcodes are compared by: as printed ("8 934588 063053") or typed
    together, a UPC-A with or without its leading zero, one GTIN is one key (its 14 digits, as
    GS1 pads them); any other code (a traceability stamp's) without spaces, dashes or case."""
    bare = barcode.replace(" ", "").replace("-", "").upper()
    if bare.isascii() and bare.isdigit() and len(bare) in GTIN_LENGTHS:
        return bare.zfill(14)
    return bare


def check_barcode(barcode: str) -> BarcodeCheck:
    digits = barcode.replace(" ", "")
    if not digits.isdigit() or len(digits) not in GTIN_LENGTHS:
        return BarcodeCheck(check_digit_ok=None)
    prefix = _gs1_prefix(digits)
    try:
        Gtin.parse(digits)
    except ParseError:
        return BarcodeCheck(False, *prefix)
    return BarcodeCheck(True, *prefix)


def _gs1_prefix(digits: str) -> tuple[str, str]:
    if len(digits) == 8:
        # EAN-8 prefixes come from a separate, smaller allocation. biip reads them the same way.
        padded = digits
    else:
        # UPC-A is an EAN-13 with a leading 0; GTIN-14 carries a packaging digit first.
        padded = digits.zfill(13)[-13:] if len(digits) < 14 else digits[1:]
    prefix = GS1Prefix.extract(padded)
    if prefix is None:
        return "", ""
    return prefix.value, prefix.usage
