"""Phone numbers as citizens type them, read by Google's libphonenumber (`phonenumbers`): a
Vietnamese number in any of its forms (0905 123 987, +84 905 123 987, 84905123987) is stored
once, as its national digits; another country's with its code. Only a Vietnamese mobile can
take SMS."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

REGION = "VN"
_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def stored_number(typed: str) -> str | None:
    """The number as it is stored ("0905123987", "+33612345678"), or None if it is none."""
    try:
        number = phonenumbers.parse(typed, REGION)
    except NumberParseException:
        return None
    # An extension ("0236 3822000 ext 5") is no number anyone can text or look up.
    if not phonenumbers.is_valid_number(number) or number.extension:
        return None
    if phonenumbers.region_code_for_number(number) == REGION:
        return "".join(ch for ch in phonenumbers.format_number(
            number, PhoneNumberFormat.NATIONAL) if ch.isdigit())
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def takes_sms(stored: str) -> bool:
    """A Vietnamese mobile number: what the SMS gateway sends to."""
    try:
        number = phonenumbers.parse(stored, REGION)
    except NumberParseException:
        return False
    return (phonenumbers.region_code_for_number(number) == REGION
            and phonenumbers.number_type(number) in _MOBILE)
