"""Warning signs staff should see on a case at a glance, derived from what the citizen gave."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.cases.barcodes import BarcodeCheck
from workflows.cases.models import Case
from workflows.i18n.messages import N_


@dataclass(frozen=True)
class Flag:
    code: str
    label: str  # a gettext id


BAD_CHECK_DIGIT = Flag("barcode_check_digit", N_("Barcode check digit is wrong"))
FOREIGN_PREFIX_ON_VIETNAMESE_LABEL = Flag(
    "barcode_prefix_origin",
    N_("Labelled as made in Vietnam, barcode issued through another country's GS1 office"))


def case_flags(case: Case) -> list[Flag]:
    flags: list[Flag] = []
    if case.barcode_check_ok is False:
        flags.append(BAD_CHECK_DIGIT)
    if (case.label_origin == "vn" and case.barcode_gs1_prefix
            and not BarcodeCheck(None, case.barcode_gs1_prefix).issued_in_vietnam):
        flags.append(FOREIGN_PREFIX_ON_VIETNAMESE_LABEL)
    return flags
