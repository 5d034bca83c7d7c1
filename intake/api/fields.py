"""How Open311 GeoReport v2 fields map onto a report's fields: service codes are the report
categories, the counterfeit fields travel as `attribute[...]`."""

from __future__ import annotations

from collections.abc import Mapping

from workflows.i18n.messages import N_, Errors, Problem

MEDIA_FIELD = "media"
# attribute[<name>] -> the report field it fills.
ATTRIBUTES: dict[str, str] = {
    "product_name": "product_name",
    "brand": "brand",
    "product_group": "product_group",
    "barcode": "barcode",
    "label_origin": "label_origin",
    "quantity": "quantity",
    "price_vnd": "price_vnd",
    "purchase_date": "purchase_date",
    "channel": "sales_channel",
    "shop_name": "shop_name",
    "commune": "commune",
    "street": "street",
    "url": "online_url",
    "platform": "platform",
    "consent": "consent",
}
# Standard GeoReport fields -> report fields.
STANDARD_FIELDS: dict[str, str] = {
    "service_code": "category",
    "description": "description",
    "lat": "latitude",
    "long": "longitude",
    "email": "reporter_email",
    "phone": "reporter_phone",
}
# Accepted by the standard and ignored here.
IGNORED_FIELDS = frozenset({"jurisdiction_id", "api_key", "device_id", "account_id",
                            "media_url", "address_id", "address_string"})
# A report field -> the name a client sent it under, for error messages.
API_NAME = {field: f"attribute[{name}]" for name, field in ATTRIBUTES.items()} | {
    field: name for name, field in STANDARD_FIELDS.items()
} | {"reporter_name": "first_name", "photos": MEDIA_FIELD, "form": "request"}


def report_fields(fields: Mapping[str, str]) -> tuple[dict[str, str], Errors]:
    """The report's fields from a request's, and the attributes this API does not know."""
    values: dict[str, str] = {}
    errors: Errors = {}
    for name, value in fields.items():
        if name.startswith("attribute[") and name.endswith("]"):
            attribute = name[len("attribute["):-1]
            if attribute not in ATTRIBUTES:
                errors[name] = Problem(N_("Unknown attribute. See the service definition."))
                continue
            values[ATTRIBUTES[attribute]] = value
        elif name in STANDARD_FIELDS:
            values[STANDARD_FIELDS[name]] = value
    if "street" not in values and fields.get("address_string"):
        values["street"] = fields["address_string"]
    name = " ".join(p for p in (fields.get("first_name", ""), fields.get("last_name", "")) if p)
    values["reporter_name"] = name
    if values.get("consent", "").lower() == "true":
        values["consent"] = "1"
    return values, errors
