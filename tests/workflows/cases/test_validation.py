from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from tests.helpers import REPORTER, VALID_REPORT
from workflows.cases.validation import validate_report
from workflows.reference.places import Places

PLACES = Places("Tỉnh Khánh Hòa", ("Phường Nha Trang", "Phường Cam Ranh"))
TODAY = dt.date(2026, 11, 23)


def validate(**changes: str):
    return validate_report({**VALID_REPORT, **changes}, PLACES, max_description_chars=5000,
                           today=TODAY)


def test_a_valid_report_is_cleaned():
    draft, errors = validate(price_vnd="1.250.000 đ", purchase_date="02/10/2026",
                             barcode=" 8934588063053 ")
    assert errors == {}
    assert draft.values["price_vnd"] == 1_250_000
    assert draft.values["purchase_date"] == dt.date(2026, 10, 2)
    assert draft.barcode == "8934588063053"
    assert draft.consent is False and draft.values["reporter_name"] == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"price_vnd": "-1"}, "price_vnd", "The price cannot be negative."),
        ({"price_vnd": "1" + "0" * 30}, "price_vnd", "The price cannot be more than {limit} đồng."),
        ({"price_vnd": "mười nghìn"}, "price_vnd", "Give the price in đồng, digits only, e.g. 150000."),
        ({"purchase_date": "2026-11-24"}, "purchase_date", "The purchase date cannot be in the future."),
        ({"purchase_date": "hôm qua"}, "purchase_date", "Give a date as dd/mm/yyyy."),
        ({"quantity": "0"}, "quantity", "Give a number from {low} to {high}."),
        ({"commune": "Phường Không Có"}, "commune", "Choose a commune or ward from the list."),
        ({"sales_channel": "online"}, "online_url",
         "For goods sold online, give the page address or the platform's name."),
        ({"online_url": "javascript:alert(1)"}, "online_url",
         "Give a web address starting with http:// or https://."),
        ({"online_url": "https://"}, "online_url",
         "Give a web address starting with http:// or https://."),
        *[({"online_url": url}, "online_url", "This web address cannot be read: copy it again "
                                              "from the browser's address bar.")
          for url in ("http://[::1", "https://[zz]/x", "http://shop.vn:99999/", "http://a]b:x/")],
        ({"description": "giả"}, "description",
         "Please describe what happened in at least {minimum} characters."),
        ({"description": "x" * 5001}, "description", "At most {limit} characters (you typed {length})."),
        ({"product_name": "Nước\x00mắm"}, "product_name", "This field contains characters that are not allowed."),
        ({"latitude": "21.0"}, "longitude", "Give a number in degrees, e.g. 21.0285."),
        ({"reporter_email": "hang@"}, "reporter_email",
         "Give one email address such as ten@example.com."),
        *[({"reporter_phone": typed}, "reporter_phone",
           "Give a phone number such as 0905 123 987 (with its country code, +…, if it is not "
           "Vietnamese).") for typed in ("12", "0123456789", "091234567", "+84 12")],
        ({"reporter_name": "Hằng"}, "consent",
         "To leave your name or contact details, agree that the agencies may use them to handle "
         "this report. Or leave them empty to report anonymously."),
    ],
)
def test_each_bad_value_gets_its_own_message(changes, field, message):
    draft, errors = validate(**changes)
    assert draft is None
    assert errors[field].message == message


@pytest.mark.parametrize("typed, stored", [
    ("0905123987", "0905123987"), ("0905 123 987", "0905123987"), ("+84 905 123 987",
                                                                   "0905123987"),
    ("84905123987", "0905123987"), ("0905.123.987", "0905123987"),
    ("028 3822 1234", "02838221234"), ("+33 6 12 34 56 78", "+33612345678"),
])
def test_a_phone_number_is_stored_one_way_however_it_is_written(typed, stored):
    draft, errors = validate(**{**REPORTER, "reporter_phone": typed})
    assert errors == {} and draft.values["reporter_phone"] == stored


def test_contact_details_with_consent_are_kept_and_normalised():
    draft, errors = validate(**{**REPORTER, "reporter_phone": "0912 345 678"})
    assert errors == {}
    assert (draft.values["reporter_name"], draft.values["reporter_phone"], draft.consent) == (
        "Nguyễn Thị Hằng", "0912345678", True)


def test_decomposed_vietnamese_is_stored_composed():
    """Some keyboards send "ư" as "u" plus a combining horn: search must find both."""
    composed = "Nước mắm"
    draft, _ = validate(product_name=unicodedata.normalize("NFD", composed))
    assert draft.product_name == composed


def test_communes_are_free_text_without_a_list():
    draft, errors = validate_report({**VALID_REPORT, "commune": "Xã Tân Lập"}, Places("", ()),
                                    max_description_chars=5000, today=TODAY)
    assert errors == {} and draft.commune == "Xã Tân Lập"


@pytest.mark.parametrize("typed", ["²", "٣٠٠٠", "１２"])
def test_digits_of_other_scripts_are_refused_cleanly(typed):
    _, errors = validate(price_vnd=typed, quantity=typed)
    assert set(errors) == {"price_vnd", "quantity"}


@pytest.mark.parametrize(("typed", "unit_box", "quantity", "unit"), [
    ("2 chai", "", 2, "chai"), ("2 Chai", "", 2, "chai"), ("3hộp", "", 3, "hộp"),
    ("hai gói", "", 2, "gói"), ("12", "", 12, ""), ("4", "kg", 4, "kg"),
    ("2 chai.", "", 2, "chai"), ("1.000 chai", "", 1000, "chai"),
    ("5 hộp", "Hộp", 5, "Hộp"),  # the same unit twice
])
def test_a_quantity_is_a_number_and_a_unit(typed, unit_box, quantity, unit):
    draft, errors = validate(quantity=typed, quantity_unit=unit_box)
    assert errors == {}
    assert (draft.values["quantity"], draft.values["quantity_unit"]) == (quantity, unit)


@pytest.mark.parametrize(("typed", "unit_box", "field", "message"), [
    ("2,5 kg", "", "quantity", "Give a whole number: {number} is not one. Count in a smaller "
                               "unit (500 g rather than 0,5 kg)."),
    ("0.5", "", "quantity", "Give a whole number: {number} is not one. Count in a smaller "
                            "unit (500 g rather than 0,5 kg)."),
    ("vài chai", "", "quantity", "Give a whole number, e.g. 2 or 2 chai."),
    # Number words beyond the first are refused, never read as their first word.
    ("hai mươi chai", "", "quantity", "Give a whole number, e.g. 2 or 2 chai."),
    ("mười hai chai", "", "quantity", "Give a whole number, e.g. 2 or 2 chai."),
    ("một ít", "", "quantity", "Give a whole number, e.g. 2 or 2 chai."),
    ("2 chai", "hộp", "quantity_unit",
     "The quantity says {typed} and this box {given}: keep one unit."),
    ("2 " + "x" * 40, "", "quantity", "At most {limit} characters (you typed {length})."),
])
def test_a_quantity_that_is_not_whole_or_says_two_units_is_refused(typed, unit_box, field,
                                                                    message):
    _, errors = validate(quantity=typed, quantity_unit=unit_box)
    assert set(errors) == {field} and errors[field].message == message
