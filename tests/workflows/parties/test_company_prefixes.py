"""A GS1 prefix an owner claims must be one company's, not a member organisation's range
(893: GS1 Vietnam) nor fewer digits than GS1 assigns there (biip's copy of GS1's tables); a
case's barcode is compared only with prefixes that could be claimed, so a claim stored before
the rule names no case."""

from __future__ import annotations

import pytest

from workflows.i18n.translations import translations
from workflows.parties.brand_claims import read_claims
from workflows.parties.company_prefixes import company_prefixes_of


def prefix_problem(prefix: str) -> str:
    claims, problems = read_claims("Hưng Thịnh", prefix)
    assert [claim.kind for claim in claims] == ["brand"]
    problem = problems["gs1_prefixes"]
    return translations("vi").gettext(problem.message).format(**problem.params)


@pytest.mark.parametrize("prefix, organisation", [("893", "GS1 Vietnam"), ("690", "GS1 China"),
                                                  ("885", "GS1 Thailand")])
def test_a_member_organisations_range_is_no_company_prefix(prefix, organisation):
    message = prefix_problem(prefix)
    assert message.startswith(f"Tiền tố mã doanh nghiệp GS1 “{prefix}” là đầu số của "
                              f"{organisation}"), message


@pytest.mark.parametrize("prefix, length", [
    ("893458", 7),  # 8934…: GS1 Vietnam assigns 7 digits
    ("8934", 7), ("89345", 7),
    ("8935123", 8),  # 8935…: 8 digits
    ("893123456", 10),  # 8931…: 10 digits
    ("8 9 3 0 1 2", 7),  # a range GS1's table does not list: at least 7
])
def test_fewer_digits_than_gs1_assigns_in_the_range_are_refused(prefix, length):
    message = prefix_problem(prefix)
    digits = prefix.replace(" ", "")
    assert message.startswith(f"Tiền tố mã doanh nghiệp GS1 “{digits}” quá ngắn"), message
    assert f"ít nhất {length} chữ số" in message


@pytest.mark.parametrize("prefix", ["978604", "2001234", "9771234", "9791234", "9801234",
                                    "9811234"])
def test_books_serials_and_in_store_numbers_are_no_company_prefix(prefix):
    assert "GS1 không cấp cho doanh nghiệp nào" in prefix_problem(prefix)


@pytest.mark.parametrize("prefix", [
    "9500000", "9501234",  # GS1 Global Office
    "9510000", "9512345",  # EPC General Manager Numbers
    "9520000",  # examples
    "9600000", "9612345", "9627123", "9651234", "9691234",  # GTIN-8 numbers
    "6101234", "0501234",  # kept for a future member, or by GS1 US
])
def test_gs1s_own_ranges_are_no_company_prefix(prefix):
    """biip's tables say whose a range is: only a member organisation's ("GS1 Vietnam") holds
    company prefixes; the outside tester claimed 9500000 and 9510000 (issue 31)."""
    assert prefix_problem(prefix).startswith(
        f"Tiền tố mã doanh nghiệp GS1 “{prefix}”: mã vạch bắt đầu như vậy là số của chính GS1")
    assert company_prefixes_of(prefix + "123456") == []


@pytest.mark.parametrize("prefix, shorter", [
    ("8934588", "893458"), ("8934.588", "893"), ("89351234", "8935123"),
    ("8931234567", "893123456"), ("8936012345", "89360"), ("4006381", "400")])
def test_a_company_prefix_as_gs1_assigns_it_is_accepted_and_a_shorter_one_is_not(prefix,
                                                                                 shorter):
    claims, problems = read_claims("Hưng Thịnh", f"{prefix}\n{shorter}")
    assert [claim.key for claim in claims if claim.kind == "gs1"] == [prefix.replace(".", "")]
    assert problems["gs1_prefixes"].params["prefix"] == shorter


def test_a_barcode_is_compared_only_with_prefixes_a_company_can_hold():
    assert company_prefixes_of("8934588063053") == [
        "8934588", "89345880", "893458806", "8934588063", "89345880630", "893458806305"]
    assert company_prefixes_of("8931234567893")[0] == "8931234567"
    assert company_prefixes_of("9786041234567") == []  # a book: no company's
