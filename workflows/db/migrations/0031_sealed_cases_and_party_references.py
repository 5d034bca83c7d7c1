"""A case with the police is sealed (its time kept); a business or brand owner asked about a
case gets a reference of its own instead of the case's tracking code, and the agency that
asked is kept with the request; the reporter's pages carry an epoch that "Thoát" raises; a
follower keeps its mailbox's key and the asking network's digest, which the daily caps on
confirmations count. Rows made before get their reference, agency and mailbox key here."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from workflows.mail.addresses import NotAMailbox, mailbox_key
from workflows.parties.references import BRAND_INQUIRY, EXPLANATION, new_reference


def _key(email: str) -> str:
    try:
        return mailbox_key(email)
    except NotAMailbox:  # stored before the checks of today: counted as written
        return email


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    mark = "?" if client.capabilities.dialect == "sqlite" else "$"
    for table, kind in (("explanation_request", EXPLANATION), ("brand_inquiry", BRAND_INQUIRY)):
        asker = "requested_by_id" if table == "explanation_request" else "asked_by_id"
        await client.execute_script(
            f'UPDATE {table} SET agency_code = COALESCE('
            f'(SELECT agency_code FROM staff_user WHERE staff_user.id = {table}.{asker}), '
            f'(SELECT agency_code FROM "case" WHERE "case".id = {table}.case_id), \'\')')
        rows = await client.execute_query_dict(f"SELECT id FROM {table} WHERE reference = ''")
        update = f"UPDATE {table} SET reference = {mark}1 WHERE id = {mark}2"
        if rows:
            await client.execute_many(update, [[new_reference(kind), row["id"]] for row in rows])
    followers = await client.execute_query_dict("SELECT id, email FROM case_follower")
    if followers:
        await client.execute_many(
            f"UPDATE case_follower SET mailbox_key = {mark}1 WHERE id = {mark}2",
            [[_key(row["email"]), row["id"]] for row in followers])


async def backward(apps: Any, schema_editor: Any) -> None:
    """The columns go with the fields."""


class Migration(migrations.Migration):
    dependencies = [('models', '0030_match_keys')]

    initial = False

    operations = [
        ops.AddField(
            model_name='BrandInquiry',
            name='agency_code',
            field=fields.CharField(default='', db_default='', max_length=16),
        ),
        ops.AddField(
            model_name='BrandInquiry',
            name='reference',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=12),
        ),
        ops.AddField(
            model_name='Case',
            name='reporter_epoch',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Case',
            name='sealed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='CaseFollower',
            name='mailbox_key',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=320),
        ),
        ops.AddField(
            model_name='CaseFollower',
            name='network_digest',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=64),
        ),
        ops.AddField(
            model_name='ExplanationRequest',
            name='agency_code',
            field=fields.CharField(default='', db_default='', max_length=16),
        ),
        ops.AddField(
            model_name='ExplanationRequest',
            name='reference',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=12),
        ),
        ops.RunPython(forward, backward),
    ]
