"""Shops are compared by a key that keeps their letters' marks ("Lan" and "Lân" are two shops)
and ignores only where the tone mark sits, with a second key without any mark for a name typed
without them (workflows.cases.duplicates). Cases stored before get both."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from workflows.cases.duplicates import shop_bare_key, shop_key

BATCH = 2000


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    update = ('UPDATE "case" SET shop_key = ?, shop_bare = ? WHERE id = ?'
              if client.capabilities.dialect == "sqlite"
              else 'UPDATE "case" SET shop_key = $1, shop_bare = $2 WHERE id = $3')
    last = 0
    while True:
        rows = await client.execute_query_dict(
            f"SELECT id, shop_name FROM \"case\" WHERE id > {last} AND shop_name <> '' "
            f"ORDER BY id LIMIT {BATCH}")
        if not rows:
            return
        await client.execute_many(update, [[shop_key(row["shop_name"]),
                                            shop_bare_key(row["shop_name"]), row["id"]]
                                           for row in rows])
        last = rows[-1]["id"]


async def backward(apps: Any, schema_editor: Any) -> None:
    """The keys stay: the earlier one was a looser form of the same comparison."""


class Migration(migrations.Migration):
    dependencies = [('models', '0040_reply_to_officer')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='shop_bare',
            field=fields.CharField(default='', db_default='', max_length=200, db_index=True),
        ),
        ops.RunPython(forward, backward),
    ]
