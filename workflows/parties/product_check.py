"""What the province can say about a product from the code on its package (the public /check
page): whether the barcode's check digit holds, which country's GS1 office issued it, the
verified owner of its company prefix and that owner's published guides to telling the genuine
product, and the agencies' standing warnings about it. A traceability stamp's QR code is usually a web address: it is shown as a link,
never fetched by the server (it may be the counterfeiter's own page), and a GS1 Digital Link
address is read for the GTIN it carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import biip

from workflows.cases.barcodes import BarcodeCheck, check_barcode
from workflows.cases.field_kinds import BARCODE_PATTERN
from workflows.cases.text import clean_text
from workflows.i18n.messages import N_, Problem
from workflows.parties.brand_claims import claimable_key, verified_owners_named
from workflows.parties.models import BrandOwner, GenuineGuide
from workflows.warnings.models import ProductWarning
from workflows.warnings.published import warnings_about

MAX_CODE_CHARS = 500  # a stamp's address with its parameters; a barcode is 8 to 14 digits
SHOWN_GUIDES = 6
NOTHING_TYPED = N_("Type or scan the code under the barcode, or the stamp's code.")
TOO_LONG = N_("This code is longer than {limit} characters: type the digits under the barcode.")


@dataclass(frozen=True)
class ProductCheck:
    code: str  # as typed, spaces trimmed
    gtin: str = ""  # the barcode's digits (EAN-13/8, UPC-A, GTIN-14), from the code or its link
    barcode: BarcodeCheck = field(default_factory=lambda: BarcodeCheck(None))
    link: str = ""  # an http(s) address the stamp's QR code carries: shown, never opened here
    owners: tuple[BrandOwner, ...] = ()
    guides: tuple[GenuineGuide, ...] = ()
    warnings: tuple[ProductWarning, ...] = ()  # the agencies' standing warnings about it

    @property
    def link_host(self) -> str:
        """The address's host, shown apart — the part a reader checks before opening it — in
        its ASCII form, so that a look-alike letter (a Cyrillic "р" in "mрi.gov.vn") shows
        as the "xn--" name it is."""
        return _ascii_host(self.link) or "" if self.link else ""

    @property
    def report_prefill(self) -> dict[str, str]:
        """What the report form starts with when the citizen reports this product: the code,
        when the form's barcode box would take it."""
        printed = self.gtin or self.code
        return {"barcode": printed} if len(printed) <= 32 and BARCODE_PATTERN.match(printed) \
            else {}


def read_code(typed: str) -> str | Problem:
    """The code as the form's box or a scanner gave it, or why it cannot be checked."""
    cleaned = clean_text(typed[:MAX_CODE_CHARS + 1])
    if isinstance(cleaned, Problem):
        return cleaned
    code = cleaned.strip()
    if not code:
        return Problem(NOTHING_TYPED)
    if len(code) > MAX_CODE_CHARS:
        return Problem(TOO_LONG, {"limit": MAX_CODE_CHARS})
    return code


def _ascii_host(address: str) -> str | None:
    host = urlsplit(address).hostname
    try:
        return host.encode("idna").decode("ascii") if host else None
    except UnicodeError:
        return None


def _web_address(code: str) -> str:
    """The code as a link, when it is a plain http(s) address: one that browsers and this
    page read alike — no backslash, no name or password before the host ("https://a\\@b"
    opens a, not b), no space — with a host that has an ASCII form."""
    parts = urlsplit(code)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname \
            or "\\" in code or "@" in parts.netloc or any(char.isspace() for char in code):
        return ""
    return code if _ascii_host(code) else ""


def _gtin_of(code: str, link: str) -> str:
    digits = code.replace(" ", "").replace("-", "")
    if digits.isascii() and digits.isdigit():
        return digits if len(digits) in (8, 12, 13, 14) else ""
    if link:
        parsed = biip.parse(link)
        if parsed.gs1_digital_link_uri is not None and parsed.gtin is not None:
            value = parsed.gtin.value  # 14 digits; an EAN-13 is shown as printed
            return value[1:] if value.startswith("0") else value
    return ""


async def check_product(code: str) -> ProductCheck:
    """Everything the page shows for one code; the owners and guides only of verified owners
    whose company prefix the barcode begins with."""
    link = _web_address(code)
    gtin = _gtin_of(code, link)
    # A warning names a barcode or a batch's or stamp's code: matched as cases match theirs.
    warnings = tuple(await warnings_about(gtin or code[:100]))
    if not gtin:
        return ProductCheck(code, link=link, warnings=warnings)
    owners = tuple(await verified_owners_named(None, "", gtin))
    guides = await GenuineGuide.filter(
        owner_id__in=[owner.id for owner in owners], published=True,
        owner__status="verified").select_related("owner").prefetch_related(
        "photos").order_by("-updated_at").limit(SHOWN_GUIDES) if owners else []
    # As on /genuine: a guide under a name found generic after it was written is not shown.
    shown = tuple(guide for guide in guides if claimable_key(guide.brand))
    return ProductCheck(code, gtin, check_barcode(gtin), link, owners, shown, warnings)
