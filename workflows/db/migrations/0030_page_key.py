"""The online page a case is about, as a key every spelling of its link shares
(workflows.cases.web_pages): cases stored before get theirs from the link they hold."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from workflows.cases.web_pages import page_key

BATCH = 2000


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    update = ('UPDATE "case" SET page_key = ? WHERE id = ?'
              if client.capabilities.dialect == "sqlite"
              else 'UPDATE "case" SET page_key = $1 WHERE id = $2')
    last = 0
    while True:
        rows = await client.execute_query_dict(
            f"SELECT id, online_url FROM \"case\" WHERE id > {last} AND online_url <> '' "
            f"ORDER BY id LIMIT {BATCH}")
        if not rows:
            return
        await client.execute_many(update, [[page_key(row["online_url"]), row["id"]]
                                           for row in rows])
        last = rows[-1]["id"]


async def backward(apps: Any, schema_editor: Any) -> None:
    """The column goes with the field."""


class Migration(migrations.Migration):
    dependencies = [('models', '0029_brand_owners')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='page_key',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=64),
        ),
        ops.RunPython(forward, backward),
    ]
