"""Whether the configuration files speak of one province. communes.toml's code chooses the
territory; the operator and address in service.toml and the issuer in reporting.toml are
written by hand, and a province that copies another's files may forget one of them. The
boundaries need no check here: each of their names must be one of the province's communes."""

from __future__ import annotations

from workflows.reference.loading import ReferenceData
from workflows.reference.vietnamese import fold

PROVINCE_KINDS = ("tinh ", "thanh pho ")


def province_short_name(province: str) -> str:
    """"Tỉnh Khánh Hòa" -> "khanh hoa", "Thành phố Hà Nội" -> "ha noi" (folded)."""
    folded = fold(province)
    for kind in PROVINCE_KINDS:
        if folded.startswith(kind):
            return folded.removeprefix(kind)
    return folded


def disagreements(reference: ReferenceData) -> list[str]:
    """Each hand-written text that names no part of the configured province, as
    'file: key ... does not name <province>'."""
    if not reference.places.province_code:
        return []  # a province written by hand: its files are the operator's alone
    short = province_short_name(reference.places.province)
    issuer, identity = reference.calendar.issuer, reference.identity
    texts = (("service.toml", "operator_vi", identity.operator_vi),
             ("service.toml", "address", identity.address),
             ("reporting.toml", "issuer.parent", issuer.parent),
             ("reporting.toml", "issuer.place", issuer.place))
    return [f"{file}: {key} = {text!r} does not name {reference.places.province} "
            f"(communes.toml, province_code = {reference.places.province_code})"
            for file, key, text in texts if text and short not in fold(text)]
