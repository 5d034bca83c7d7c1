"""A report as it is filed: its fields, and the names forms and messages give them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workflows.i18n.messages import N_


@dataclass(frozen=True)
class ReportDraft:
    """A validated report, as the forms layer hands it over."""

    category: str
    product_name: str
    product_group: str
    sales_channel: str
    description: str
    brand: str = ""
    barcode: str = ""
    label_origin: str = "unknown"
    quantity: int | None = None
    price_vnd: int | None = None
    purchase_date: dt.date | None = None
    shop_name: str = ""
    commune: str = ""
    street: str = ""
    online_url: str = ""
    platform: str = ""
    latitude: float | None = None
    longitude: float | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    consent: bool = False
    language: str = "vi"
    intake_channel: str = "web"
    # What an Open311 client sent that has no field here, shown to staff only.
    extra_attributes: dict[str, str] | None = None


# The report's fields as the forms and error summaries name them.
REPORT_LABELS: dict[str, str] = {
    "category": N_("What is wrong"),
    "product_name": N_("Product name"),
    "brand": N_("Brand"),
    "product_group": N_("Kind of product"),
    "barcode": N_("Barcode or traceability stamp code"),
    "label_origin": N_("Origin printed on the label"),
    "quantity": N_("Quantity bought"),
    "price_vnd": N_("Price paid (đồng)"),
    "purchase_date": N_("Purchase date"),
    "sales_channel": N_("Where it was sold"),
    "shop_name": N_("Shop or seller name"),
    "commune": N_("Commune or ward"),
    "street": N_("Street address"),
    "online_url": N_("Web page of the shop or product"),
    "platform": N_("Platform"),
    "description": N_("What happened"),
    "photos": N_("Photos or receipts"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "reporter_name": N_("Your name"),
    "reporter_phone": N_("Phone"),
    "reporter_email": N_("Email"),
    "consent": N_("Consent"),
}
