"""What an agency records when it resolves a case: the outcome and its public words, the fine
and the decision that imposed it, whom it was imposed on, and each kind of goods seized. Every
field is checked and each problem named beside its field, so the form comes back as typed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from stdnum.vn import mst

from workflows.cases.field_kinds import bounded_int, vnd_digits
from workflows.cases.refusals import InvalidInput
from workflows.cases.text import NO_WORDS, clean_text, has_words
from workflows.i18n.formatting import VIETNAM
from workflows.i18n.messages import N_, Problem
from workflows.reference.catalog import OUTCOME_CODES, VIOLATOR_KIND_CODES

MAX_AMOUNT_DIGITS = 15
MAX_FINE_VND = 10**15 - 1
MAX_SEIZED_ROWS = 10  # the form shows five; a form may send up to ten
MAX_QUANTITY = Decimal("999999999999.999")  # what the column holds (15 digits, 3 decimals)
TEXT_LIMITS = {"decision_number": 50, "violator_name": 200, "seized_name": 200, "seized_unit": 32}
EARLIEST_DECISION = dt.date(2000, 1, 1)
# A quantity typed with its unit ("120 chai"): the number and the unit apart, for the message.
_NUMBER_THEN_WORDS = re.compile(r"^\s*([0-9][0-9.,]*)\s*([^\W\d_][^\d]*)$")
_PLAIN = re.compile(r"^[0-9]+$")
_THOUSANDS = re.compile(r"^[0-9]{1,3}([.,])[0-9]{3}(\1[0-9]{3})*$")
_ONE_SEPARATOR = re.compile(r"^([0-9]+)[.,]([0-9]+)$")
_GROUPED_DECIMAL = re.compile(r"^([0-9]{1,3}(?:([.,])[0-9]{3})(?:\2[0-9]{3})*)(?!\2)[.,]([0-9]+)$")
AMBIGUOUS = N_("Is {text} a whole number or a decimal? Write it without the thousands "
               "separator (1500), or with the decimal comma and no group of three (1,5).")


@dataclass(frozen=True)
class Seized:
    name: str
    quantity: Decimal
    unit: str
    value_vnd: int | None
    destroyed: bool

    def record(self) -> dict[str, object]:
        """As the audit event keeps it."""
        return {"name": self.name, "quantity": str(self.quantity), "unit": self.unit,
                "value_vnd": self.value_vnd, "destroyed": self.destroyed}


def amount(typed: str) -> int | None | Problem:
    """A whole number of đồng as staff write it: 15000000, 15.000.000, 15 000 000 or 15,000,000 ₫
    (a separator is for thousands: 1,5 or 15.00 is refused, not read as 15 or 1500)."""
    text = typed.strip()
    if not text:
        return None
    if text.startswith("-"):
        return Problem(N_("Amounts cannot be negative."))
    digits = vnd_digits(text)
    value = bounded_int(digits, MAX_AMOUNT_DIGITS) if digits is not None else None
    if value is None:
        return Problem(N_("Amounts are whole numbers of at most {digits} digits."),
                       {"digits": MAX_AMOUNT_DIGITS})
    return value


def _decimal_text(text: str) -> str | None | Problem:
    """A number written with a decimal comma or point, or thousands groups, as Decimal reads
    it. One group of three after a single separator (1.500, 1,500) could be either: refused."""
    if _PLAIN.match(text):
        return text
    if _THOUSANDS.match(text) and text.count(text[-4]) > 1:
        return text.replace(text[-4], "")  # 1.500.000: thousands, several times
    if _THOUSANDS.match(text) and not text.startswith("0"):
        return Problem(AMBIGUOUS, {"text": text})
    one = _ONE_SEPARATOR.match(text)
    if one:  # 1,5 / 1.5 / 0.500 / 2,25: a decimal
        return f"{one.group(1)}.{one.group(2)}"
    grouped = _GROUPED_DECIMAL.match(text)
    if grouped:  # 1.234,5 or 1,234.5: the last separator is the decimal one
        thousands, decimals = grouped.group(1), grouped.group(3)
        return re.sub(r"[.,]", "", thousands) + "." + decimals
    return None


def quantity(typed: str) -> Decimal | Problem:
    """A quantity the Vietnamese way (1,5 one and a half; 1.500.000) or the English way (1.5;
    1,500,000)."""
    text = typed.strip().replace(" ", "")
    normal = _decimal_text(text) if text.isascii() else None
    if isinstance(normal, Problem):
        return normal
    try:
        value = Decimal(normal) if normal is not None and len(normal) <= 20 else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        with_unit = _NUMBER_THEN_WORDS.match(typed)
        if with_unit:
            return Problem(N_("Write only the number here ({number}) and the unit in “Unit” "
                              "({unit})."), {"number": with_unit.group(1),
                                             "unit": with_unit.group(2).strip()})
        return Problem(N_("Give the quantity as a number, e.g. 120 or 2,5."))
    if value <= 0 or value > MAX_QUANTITY or value != value.quantize(Decimal("0.001")):
        return Problem(N_("Give a quantity above 0 with at most three decimals."))
    return value


def tax_code(typed: str) -> str | Problem:
    """A business's tax code (10 digits, a branch's 13, checked by its check digit), or a
    person's or household's 12-digit identification number, which serves as their tax code."""
    compact = re.sub(r"[\s.-]", "", typed)
    if not compact:
        return ""
    if len(compact) == 12 and compact.isascii() and compact.isdigit():
        return compact
    if not mst.is_valid(compact):
        return Problem(N_("This is not a valid tax code: 10 digits (13 for a branch), or the "
                          "12-digit identification number of a person or household."))
    return str(mst.compact(compact))


class _Form:
    def __init__(self, form: dict[str, str]) -> None:
        self.form = form
        self.problems: dict[str, Problem] = {}

    def text(self, name: str, limit_name: str | None = None, multiline: bool = False) -> str:
        cleaned = clean_text(self.form.get(name, ""), multiline=multiline)
        if isinstance(cleaned, Problem):
            self.problems[name] = cleaned
            return ""
        limit = TEXT_LIMITS.get(limit_name or name)
        if limit and len(cleaned) > limit:
            self.problems[name] = Problem(N_("At most {limit} characters (you typed {length})."),
                                          {"limit": limit, "length": len(cleaned)})
        return cleaned

    def money(self, name: str) -> int | None:
        value = amount(self.form.get(name, ""))
        if isinstance(value, int) and value > MAX_FINE_VND:
            value = Problem(N_("At most {limit}."), {"limit": f"{MAX_FINE_VND:,}".replace(",", ".")})
        if isinstance(value, Problem):
            self.problems[name] = value
            return None
        return value


def _decision_date(read: _Form, today: dt.date) -> dt.date | None:
    typed = read.form.get("decision_date", "").strip()
    if not typed:
        return None
    try:
        day = dt.date.fromisoformat(typed)
    except ValueError:
        read.problems["decision_date"] = Problem(N_("Give a date as dd/mm/yyyy."))
        return None
    if not EARLIEST_DECISION <= day <= today:
        read.problems["decision_date"] = Problem(
            N_("The decision's date is between 01/01/2000 and today."))
        return None
    return day


def _seized(read: _Form) -> list[Seized]:
    found = []
    for row in range(1, MAX_SEIZED_ROWS + 1):
        prefix = f"seized_{row}_"
        parts = {part: read.form.get(prefix + part, "").strip()
                 for part in ("name", "quantity", "unit", "value", "destroyed")}
        if not any(parts.values()):
            continue
        name = read.text(prefix + "name", "seized_name")
        unit = read.text(prefix + "unit", "seized_unit")
        for part, given in (("name", name), ("unit", unit)):
            if prefix + part in read.problems:
                continue
            if not given:
                read.problems[prefix + part] = Problem(
                    N_("What was seized?") if part == "name" else N_("Give the unit."))
            elif not has_words(given):
                read.problems[prefix + part] = Problem(NO_WORDS)
        counted = quantity(parts["quantity"]) if parts["quantity"] else Problem(
            N_("Give the quantity as a number, e.g. 120 or 2,5."))
        if isinstance(counted, Problem):
            read.problems[prefix + "quantity"] = counted
        value = read.money(prefix + "value")
        if not any(key.startswith(prefix) for key in read.problems):
            assert isinstance(counted, Decimal)
            found.append(Seized(name, counted, unit, value,
                                bool(read.form.get(prefix + "destroyed"))))
    return found


def check_outcome(form: dict[str, str], now: dt.datetime) -> dict[str, object]:
    """The resolution's fields, or InvalidInput naming every field's problem."""
    read = _Form(form)
    found = form.get("outcome", "").strip()
    if found not in OUTCOME_CODES:
        read.problems["outcome"] = Problem(N_("Choose the outcome."))
    public = read.text("public_outcome", multiline=True)
    if not public and "public_outcome" not in read.problems:
        read.problems["public_outcome"] = Problem(
            N_("Write the outcome the reporter and the public will read."))
    elif public and not has_words(public):
        read.problems["public_outcome"] = Problem(NO_WORDS)
    kind = form.get("violator_kind", "").strip()
    if kind and kind not in VIOLATOR_KIND_CODES:
        read.problems["violator_kind"] = Problem(N_("Choose who the violator is."))
    code = tax_code(form.get("violator_tax_code", ""))
    if isinstance(code, Problem):
        read.problems["violator_tax_code"] = code
    checked: dict[str, object] = {
        "outcome": found, "public_outcome": public,
        "legal_basis": read.text("legal_basis", multiline=True),
        "fine_vnd": read.money("fine_vnd"),
        "decision_number": read.text("decision_number"),
        "decision_date": _decision_date(read, now.astimezone(VIETNAM).date()),
        "violator_name": read.text("violator_name"), "violator_kind": kind,
        "violator_tax_code": code if isinstance(code, str) else "",
    }
    seized = _seized(read)
    if read.problems:
        raise InvalidInput(read.problems)
    values = [item.value_vnd for item in seized if item.value_vnd is not None]
    return {**checked, "seized": seized, "seized_quantity": len(seized) or None,
            "seized_value_vnd": sum(values) if values else None}
