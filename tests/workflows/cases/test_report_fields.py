"""A report's fields are declared once (workflows.cases.report_fields): the model keeps a column
for each, and every reader of a report — the form, the validation, Open311, the staff page,
the line list, what outside parties are shown — draws each field from its declaration."""

from __future__ import annotations

import re

import pytest
from tortoise import fields as orm

from intake.api.fields import API_NAME, ATTRIBUTES, STANDARD_FIELDS
from intake.api.services import ATTRIBUTE_TABLE
from tests.helpers import REPORTER, VALID_REPORT, post_report
from workflows.cases.field_kinds import KINDS
from workflows.cases.models import Case
from workflows.cases.report_fields import (
    BRAND_OWNER,
    BUSINESS,
    FIELDS,
    SECTIONS,
    STAFF,
    labels,
    shown_to,
)
from workflows.figures.line_list import COLUMNS

# The column type each kind of field needs.
COLUMN_TYPES = {
    "text": orm.CharField, "barcode": orm.CharField, "commune": orm.CharField,
    "url": orm.CharField, "phone": orm.CharField, "email": orm.CharField,
    "choice": orm.CharField, "longtext": orm.TextField, "whole": orm.IntField,
    "amount": orm.BigIntField, "date": orm.DateField, "latitude": orm.FloatField,
    "longitude": orm.FloatField, "flag": orm.BooleanField,
}


@pytest.mark.parametrize("field", FIELDS, ids=lambda field: field.name)
def test_every_field_has_its_column_its_kind_and_its_section(field):
    column = Case._meta.fields_map.get(field.name)
    assert column is not None, f"Case has no column {field.name}: add it and a migration"
    assert isinstance(column, COLUMN_TYPES[field.kind])
    if isinstance(column, orm.CharField) and field.limit:
        assert column.max_length >= field.limit
    assert field.kind in KINDS and field.section in {section.number for section in SECTIONS}
    assert bool(field.terms) == (field.kind == "choice") and (not field.terms or field.choose)


def test_open311_carries_every_field_it_names_once():
    codes = [field.open311.code for field in FIELDS if field.open311]
    assert len(codes) == len(set(codes))
    assert [attribute.code for attribute in ATTRIBUTE_TABLE] == list(ATTRIBUTES)
    assert set(STANDARD_FIELDS) <= {"service_code", "description", "lat", "long", "email",
                                    "phone"}
    for field in FIELDS:
        if field.open311 is not None:
            assert field.name in API_NAME  # an error names what the client sent


def test_who_is_shown_what_follows_the_declarations():
    personal = {field.name for field in FIELDS if field.personal}
    assert {"reporter_name", "reporter_phone", "reporter_email", "description"} <= personal
    for audience in (BUSINESS, BRAND_OWNER):
        names = {field.name for field in shown_to(audience)}
        assert names and not names & personal and "street" not in names
    assert "shop_name" in {f.name for f in shown_to(BUSINESS)}
    assert "shop_name" not in {f.name for f in shown_to(BRAND_OWNER)}  # the agency's to ask
    assert not {field.name for field in shown_to(STAFF)} & personal
    exported = [name for name, _ in COLUMNS]
    assert [field.name for field in FIELDS if field.export] == [
        name for name in exported if name in {field.name for field in FIELDS}]
    assert not set(exported) & personal


async def test_the_form_and_the_staff_page_draw_every_field(client, app):
    from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD, sign_in
    from workflows.access.accounts import create_user

    form = (await client.get("/report")).text
    for field in FIELDS:
        assert re.search(rf'name="{field.name}"', form), field.name
    filed = await post_report(client, {**VALID_REPORT, **REPORTER, "quantity": "3 hộp",
                                       "price_vnd": "150.000", "latitude": "12.24",
                                       "longitude": "109.19"})
    assert filed.status_code == 303
    email, role, agency = ACCOUNTS["qltt_lead"]
    await create_user(email, PASSWORD, role, agency, AGENCIES)
    await sign_in(client, "qltt_lead")
    case = await Case.get()
    page = (await client.get(f"/staff/cases/{case.tracking_code}")).text
    vietnamese = app.state.intake.reference.translator("vi")
    units = {field.unit for field in FIELDS if field.unit}
    for field in FIELDS:
        if getattr(case, field.name) not in (None, "", False) and field.name not in units:
            assert vietnamese.gettext(labels()[field.name]) in page, field.name
    # A unit is shown after its number, under the number's label.
    assert re.search(r"<dt>Số lượng đã mua</dt>\s*<dd>3 hộp</dd>", page)
