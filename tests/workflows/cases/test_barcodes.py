from __future__ import annotations

import pytest

from workflows.cases.barcodes import check_barcode


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
