"""What reports about the same goods are compared by, whoever typed them and however: the
online page of a shared link (workflows.cases.web_pages) and the barcode
(workflows.cases.barcodes.barcode_key). Cases stored before get theirs from what they hold."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from workflows.cases.barcodes import barcode_key
from workflows.cases.web_pages import page_key

BATCH = 2000


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    update = ('UPDATE "case" SET page_key = ?, barcode_key = ? WHERE id = ?'
              if client.capabilities.dialect == "sqlite"
              else 'UPDATE "case" SET page_key = $1, barcode_key = $2 WHERE id = $3')
    last = 0
    while True:
        rows = await client.execute_query_dict(
            f"SELECT id, online_url, barcode FROM \"case\" WHERE id > {last} AND "
            f"(online_url <> '' OR barcode <> '') ORDER BY id LIMIT {BATCH}")
        if not rows:
            return
        await client.execute_many(update, [
            [page_key(row["online_url"]), barcode_key(row["barcode"] or ""), row["id"]]
            for row in rows])
        last = rows[-1]["id"]


async def backward(apps: Any, schema_editor: Any) -> None:
    """The columns go with the fields."""


class Migration(migrations.Migration):
    dependencies = [('models', '0029_brand_owners')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='page_key',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=64),
        ),
        ops.AddField(
            model_name='Case',
            name='barcode_key',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=32),
        ),
        ops.RunPython(forward, backward),
    ]
