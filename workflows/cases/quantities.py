"""A quantity as people write it in one box: a number and, after it, its unit ("2 chai",
"3 Hộp", "hai gói"). The number is read by the field's kind; the unit goes to the field its
declaration names (workflows.cases.report_fields.ReportField.unit)."""

from __future__ import annotations

import re

from workflows.reference.vietnamese import fold

# A number (digits, maybe with a decimal or thousands separator, for the reader's message), or
# a word, then the unit: letters and spaces, no digits ("chai 500ml" is not a unit).
_NUMBER_THEN_UNIT = re.compile(r"^\s*([0-9][0-9.,]*|[^\W\d_]+)\s*([^\W\d_][^\d]*?)\s*$")
MAX_TYPED = 64  # public input: longer is no quantity, and is not matched
# One to ten in words, folded: what people write for a few items.
NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
                "tam": 8, "chin": 9, "muoi": 10}
# Words that make a number word part of a longer one ("hai mươi", "mười hai") or no number at
# all ("một ít", "vài"): such a quantity is refused, not misread as its first word.
NOT_A_UNIT = frozenset({*NUMBER_WORDS, "muoi", "tram", "nghin", "ngan", "trieu", "chuc", "le",
                        "linh", "ruoi", "it", "vai", "may"})
# Thousands written with dots, as Vietnamese writes them: "1.000", "12.500".
_THOUSANDS = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")


def number_and_unit(typed: str) -> tuple[str, str]:
    """The number as digits (or as typed, for the reader to refuse) and the unit, lower case
    ("" when none): "2 Chai" -> ("2", "chai"), "hai hộp" -> ("2", "hộp"), "2,5kg" -> ("2,5",
    "kg"), "12" -> ("12", "")."""
    if len(typed) > MAX_TYPED:
        return typed.strip(), ""
    alone = NUMBER_WORDS.get(fold(typed))
    if alone is not None:
        return str(alone), ""
    found = _NUMBER_THEN_UNIT.match(typed)
    if found is None:
        return typed.strip(), ""
    number, unit = found.group(1), found.group(2).rstrip(".,;:!?").strip()
    first = fold(unit).split(" ", 1)[0] if unit else ""
    if not number[0].isdigit():
        word = NUMBER_WORDS.get(fold(number))
        if word is None or first in NOT_A_UNIT:  # the reader says what is wanted
            return typed.strip(), ""
        number = str(word)
    elif _THOUSANDS.match(number):
        number = number.replace(".", "")
    return number, unit.lower()
