"""An SMS as it goes on the air, and the numbers it goes to: Vietnamese folded to GSM 7-bit or
kept in UCS-2, parts counted as the operator bills them (checked against the GSM 03.38 and
3GPP 23.040 sizes: 160/153 septets, 70/67 UTF-16 units), a long question cut until the SMS
fits, and numbers as citizens type them."""

from __future__ import annotations

import pytest

from intake.sms_settings import SmsSettings
from workflows.cases.phones import stored_number, takes_sms
from workflows.mail.sms import SmsPolicy, fitting, use_sms_policy
from workflows.mail.sms_text import encoding, fold, sms_text


@pytest.mark.parametrize(("text", "ucs2", "parts"), [
    ("a" * 160, False, 1), ("a" * 161, False, 2), ("a" * 306, False, 2), ("a" * 307, False, 3),
    ("[" * 80, False, 1), ("[" * 81, False, 2),  # an escape and a character each
    ("ă" * 70, True, 1), ("ă" * 71, True, 2), ("ă" * 134, True, 2), ("ă" * 135, True, 3),
    ("😀" * 35, True, 1), ("😀" * 36, True, 2),  # two UTF-16 units each
])
def test_parts_are_counted_as_the_operator_bills_them(text, ucs2, parts):
    assert (encoding(text).ucs2, encoding(text).parts) == (ucs2, parts)


def test_vietnamese_is_folded_to_plain_letters_unless_accents_are_kept():
    assert fold("Đã nhận phản ánh “Hưng Thịnh” – Hoà Bình…") == \
        'Da nhan phan anh "Hung Thinh" - Hoa Binh...'
    assert fold("Mua ở 😀 chợ") == "Mua o ? cho"
    composed = sms_text("Hoà", accents=True)  # typed decomposed, sent composed
    assert composed == "Hoà" and len(composed) == 3


def test_a_long_question_is_cut_until_the_sms_fits_its_parts():
    use_sms_policy(SmsPolicy(max_parts=2, accents=True))
    try:
        question = "Đề nghị ông bà cho biết " * 20
        text = fitting(lambda limit: f"Cơ quan hỏi: {question[:limit]} Trả lời tại: "
                                     "https://phananh.khanhhoa.gov.vn/r/ABCDEFGHJK.0.xyz")
        assert encoding(text).parts <= 2 and "Trả lời tại" in text and "Đề nghị" in text
    finally:
        use_sms_policy(SmsPolicy())


@pytest.mark.parametrize(("typed", "stored", "sms"), [
    ("0905 123 987", "0905123987", True), ("+84 905 123 987", "0905123987", True),
    ("84905123987", "0905123987", True), ("0084 905.123.987", "0905123987", True),
    ("024 3825 1234", "02438251234", False),  # a Hà Nội landline
    ("+33 6 12 34 56 78", "+33612345678", False),
    ("0905123987 ext 12", None, False), ("0236 3822000 ext 5", None, False),
    ("0905", None, False), ("không có", None, False),
])
def test_numbers_are_stored_once_however_they_are_typed(typed, stored, sms):
    assert stored_number(typed) == stored
    assert (stored is not None and takes_sms(stored)) == sms


def test_delivery_reports_come_from_the_gateway_however_its_address_is_written():
    gateway = SmsSettings()
    for address in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        assert gateway.from_gateway(address), address
    for address in ("10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1", "not an address"):
        assert not gateway.from_gateway(address), address
