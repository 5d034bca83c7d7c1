from __future__ import annotations

from workflows.cases.tracking import (
    CROCKFORD_ALPHABET,
    format_tracking_code,
    new_pin,
    new_tracking_code,
    normalize_tracking_code,
    pin_digest,
    pin_matches,
)


def test_codes_use_only_unambiguous_characters_and_do_not_repeat():
    codes = [new_tracking_code() for _ in range(20_000)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 10 and set(code) <= set(CROCKFORD_ALPHABET) for code in codes)
    assert not set("ILOU") & set("".join(codes))


def test_a_code_is_not_guessable_from_the_one_before():
    """Consecutive codes share no more characters in place than chance allows (1 in 32)."""
    codes = [new_tracking_code() for _ in range(5000)]
    same_place = sum(a == b for first, second in zip(codes, codes[1:], strict=False) for a, b in zip(first, second, strict=True))
    expected = (len(codes) - 1) * 10 / 32
    assert 0.8 * expected < same_place < 1.2 * expected
    # Nor are they ordered: half of the pairs go up, half go down.
    rising = sum(first < second for first, second in zip(codes, codes[1:], strict=False))
    assert 0.45 < rising / (len(codes) - 1) < 0.55


def test_what_people_type_is_read_back_to_the_code():
    assert format_tracking_code("ABCDE12345") == "ABCDE-12345"
    assert normalize_tracking_code(" abcde-12345 ") == "ABCDE12345"
    assert normalize_tracking_code("OOLLI-00111") == "00111-00111".replace("-", "")
    assert normalize_tracking_code("ABCDE-1234") is None
    assert normalize_tracking_code("ABCDE-1234U") is None


def test_a_pin_matches_only_its_own_code_and_key():
    pin = new_pin()
    assert len(pin) == 8 and pin.isdigit()
    digest = pin_digest("key", "ABCDE12345", pin)
    assert pin_matches("key", "ABCDE12345", f"{pin[:4]} {pin[4:]}", digest)
    assert not pin_matches("key", "ABCDE12346", pin, digest)
    assert not pin_matches("other-key", "ABCDE12345", pin, digest)
    assert pin not in digest
