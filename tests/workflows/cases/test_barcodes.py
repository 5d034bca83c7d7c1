from __future__ import annotations

import pytest

from workflows.cases.barcodes import barcode_key, check_barcode


@pytest.mark.parametrize(
    ("barcode", "ok", "prefix", "office"),
    [
        ("8934588063053", True, "893", "GS1 Vietnam"),
        ("8934588063054", False, "893", "GS1 Vietnam"),  # wrong check digit: a fake label sign
        ("4006381333931", True, "400", "GS1 Germany"),
        ("036000291452", True, "003", "GS1 US"),  # UPC-A
        ("96385074", True, "963", "Global Office - GTIN-8"),  # EAN-8
        ("8 934588 063053", True, "893", "GS1 Vietnam"),
        ("VN-TEM-12345", None, "", ""),  # a traceability stamp code: nothing to check
    ],
)
def test_barcodes_are_checked_and_their_gs1_office_named(barcode, ok, prefix, office):
    check = check_barcode(barcode)
    assert (check.check_digit_ok, check.gs1_prefix, check.gs1_office) == (ok, prefix, office)
    assert check.issued_in_vietnam == (prefix == "893")


@pytest.mark.parametrize("spellings", [
    ("8934588063053", "8 934588 063053", "893-4588-06305-3"),  # as printed, as typed
    ("036000291452", "0036000291452", "00036000291452"),  # UPC-A, its EAN-13 and GTIN-14
    ("96385074", "00000096385074"),  # EAN-8 as GS1 pads it
    ("vn-tem-12345", "VN TEM 12345", "VNTEM12345"),  # a stamp code, however spaced
])
def test_one_barcode_however_written_has_one_key(spellings):
    assert len({barcode_key(spelling) for spelling in spellings}) == 1, spellings


@pytest.mark.parametrize(("one", "other"), [
    ("8934588063053", "8934588063054"),  # another check digit
    ("10036000291459", "036000291452"),  # a case of 12 is another trade item than one can
    ("123456", "0123456"),  # no GTIN: compared as written
])
def test_other_barcodes_have_other_keys(one, other):
    assert barcode_key(one) != barcode_key(other)
