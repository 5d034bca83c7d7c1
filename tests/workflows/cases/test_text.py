"""What a person types shows on a staff page as what it is: invisible characters, private-use
and unassigned code points, towers of accents and required fields of nothing but symbols are
refused with a message; Vietnamese, emoji sequences and pasted line separators are kept."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlencode

import pytest

from tests.helpers import VALID_REPORT, csrf_token, post_report
from workflows.cases.models import Case
from workflows.cases.text import (
    DIRECTION,
    INVISIBLE,
    STACKED,
    UNREADABLE,
    clean_text,
    has_words,
)
from workflows.i18n.messages import Problem
from workflows.reference.vietnamese import TONES


@pytest.mark.parametrize("typed", [
    "Nước mắm Phú Quốc 40°N",
    "Ph\u01b0\u0301\u01a1\u0300ng",  # decomposed Vietnamese: two marks on a letter
    "Gia đình 👨\u200d👩\u200d👧 mua ở chợ",  # a joined emoji
    "Cờ 🏳\ufe0f\u200d🌈",
    "كتاب", "नमस्ते", "東京",
])
def test_writing_people_use_is_kept(typed):
    assert clean_text(typed) == unicodedata.normalize("NFC", typed)


@pytest.mark.parametrize(("typed", "why"), [
    ("Sạp\u200bsố 12", "invisible"),  # zero-width space
    ("Nước\u2060mắm", "invisible"),  # word joiner
    ("Vina\u00admilk", "invisible"),  # soft hyphen
    ("\ufeffCửa hàng", "invisible"),  # byte order mark
    ("Tên \U000e0041\U000e0042", "invisible"),  # tag characters
    ("Sạp \ue000", "invisible"),  # private use
    ("Sạp \U0003ffff", "invisible"),  # unassigned
    ("\u3164", "invisible"),  # Hangul filler: a letter that draws nothing
    ("Tên\u2800", "invisible"),  # blank braille cell
    ("a\u0301\u0302\u0303\u0304\u0305", "stacked"),
    ("Sạp \u202egpj.exe", "direction"),
    ("dòng\u2028dòng", "invisible"),  # a line separator in a one-line field
    ("S\ufffd\ufffda", "unreadable"),  # bytes that were not UTF-8
])
def test_characters_that_disguise_text_are_refused(typed, why):
    refused = clean_text(typed)
    assert isinstance(refused, Problem)
    assert refused.message == {"invisible": INVISIBLE, "stacked": STACKED,
                               "direction": DIRECTION, "unreadable": UNREADABLE}[why]


def test_pasted_line_separators_become_new_lines_where_lines_are_allowed():
    assert clean_text("Dòng một\u2028Dòng hai\u2029Đoạn mới", multiline=True) == \
        "Dòng một\nDòng hai\n\nĐoạn mới"


@pytest.mark.parametrize("typed", ["...", "👍👍👍", "— — —", "\u200d\u200d", "!!! ???"])
def test_symbols_alone_say_nothing(typed):
    cleaned = clean_text(typed)
    assert isinstance(cleaned, Problem) or not has_words(cleaned)


@pytest.mark.parametrize(("field", "typed"), [
    ("product_name", "👍👍👍"), ("product_name", "\u3164"), ("description", "..........!!"),
    ("shop_name", "Sạp\u200b12"), ("brand", "Vina\u00admilk"), ("reporter_name", "\u2800"),
])
async def test_the_form_names_the_field_and_keeps_the_rest(client, field, typed):
    answer = await post_report(client, {**VALID_REPORT, field: typed})
    assert answer.status_code == 400
    assert f'id="{field}-error"' in answer.text
    kept = "street" if field != "street" else "product_name"
    assert VALID_REPORT[kept] in answer.text
    assert not await Case.exists()


@pytest.mark.parametrize("raw", [b"S%FF%FEa", b"S%ED%A0%80a", b"S%C3a",  # Latin-1, a surrogate, cut
                                 b"S\xff\xfea", b"S\xc3a"])  # the same bytes unescaped
async def test_bytes_that_are_not_utf8_are_refused_not_stored_as_question_marks(client, raw):
    """A form whose bytes are not UTF-8 (forged, or pasted from another encoding): its text
    would be stored with "�" for the letters, so the field says so and nothing is stored."""
    token = await csrf_token(client)
    body = urlencode({**VALID_REPORT, "csrf_token": token, "join_case": "new",
                      "product_name": "PLACEHOLDER"}).encode().replace(b"PLACEHOLDER", raw)
    answer = await client.post("/report", content=body, headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400
    assert 'id="product_name-error">Trường này có ký tự không đọc được (�): hãy gõ lại.' in \
        answer.text
    assert VALID_REPORT["street"] in answer.text
    assert not await Case.exists()


async def test_letters_sent_unescaped_are_read_as_the_utf8_they_are(client):
    """Browsers escape every byte beyond ASCII; a script posting "Nước mắm" as it is must not
    have its letters read as Latin-1 and refused."""
    token = await csrf_token(client)
    typed = {**VALID_REPORT, "csrf_token": token, "join_case": "new",
             "product_name": "Nước mắm Phú Quốc", "street": "Chợ Đầm, phường Nha Trang"}
    body = "&".join(f"{name}={value}".replace(" ", "+") for name, value in typed.items())
    answer = await client.post("/report", content=body.encode(), headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 303, answer.text[:2000]
    case = await Case.get()
    assert (case.product_name, case.street) == ("Nước mắm Phú Quốc", "Chợ Đầm, phường Nha Trang")


def tones_apart(text: str) -> str:
    """Vietnamese as Windows-1258 writes it: "ướ" as "ư" and a combining acute."""
    clusters: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and clusters:
            clusters[-1] += char
        else:
            clusters.append(char)
    return "".join(unicodedata.normalize("NFC", "".join(c for c in cluster if c not in TONES))
                   + "".join(c for c in cluster if c in TONES) for cluster in clusters)


@pytest.mark.parametrize("charset", ["windows-1258", "utf-16"])
async def test_a_form_in_the_charset_it_declares_is_read_in_that_charset(client, charset):
    """Older Vietnamese software writes Windows-1258 (letters and their marks apart): the
    form says so, and the letters are stored as anyone else's."""
    token = await csrf_token(client)
    typed = {**VALID_REPORT, "csrf_token": token, "join_case": "new",
             "product_name": "Nước mắm Phú Quốc"}
    if charset == "windows-1258":  # its letters carry their own marks, tones come apart
        typed = {name: tones_apart(value) for name, value in typed.items()}
    body = urlencode(typed, encoding=charset)
    answer = await client.post("/report", content=body.encode(charset), headers={
        "content-type": f"application/x-www-form-urlencoded; charset={charset}"})
    assert answer.status_code == 303, answer.text[:2000]
    assert (await Case.get()).product_name == "Nước mắm Phú Quốc"


async def test_an_unknown_charset_or_too_many_fields_say_so_and_store_nothing(client):
    token = await csrf_token(client)
    form = {**VALID_REPORT, "csrf_token": token, "join_case": "new"}
    unknown = await client.post("/report", content=urlencode(form).encode(), headers={
        "content-type": "application/x-www-form-urlencoded; charset=x-klingon"})
    assert unknown.status_code == 400
    assert "Không đọc được bảng mã x-klingon của biểu mẫu: hãy gửi bằng UTF-8." in unknown.text
    padded = urlencode({**form, **{f"x{n}": "1" for n in range(100)}})
    crowded = await client.post("/report", content=padded.encode(), headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert crowded.status_code == 400
    assert "Biểu mẫu có hơn 100 trường" in crowded.text
    assert not await Case.exists()
