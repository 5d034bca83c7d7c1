"""Shops are compared by their name folded as staff search and brands fold it
(workflows.cases.duplicates.shop_key): "Sạp Hoà Bình", "sạp Hòa Bình" and "sap hoa binh" are one
shop. Cases stored before get their key again, as their shop's name now folds."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

from workflows.cases.duplicates import shop_key

BATCH = 2000


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    update = ('UPDATE "case" SET shop_key = ? WHERE id = ?'
              if client.capabilities.dialect == "sqlite"
              else 'UPDATE "case" SET shop_key = $1 WHERE id = $2')
    last = 0
    while True:
        rows = await client.execute_query_dict(
            f"SELECT id, shop_name, shop_key FROM \"case\" WHERE id > {last} AND "
            f"shop_name <> '' ORDER BY id LIMIT {BATCH}")
        if not rows:
            return
        changed = [[shop_key(row["shop_name"]), row["id"]] for row in rows
                   if shop_key(row["shop_name"]) != row["shop_key"]]
        if changed:
            await client.execute_many(update, changed)
        last = rows[-1]["id"]


async def backward(apps: Any, schema_editor: Any) -> None:
    """The folded keys stay: the earlier key was a weaker form of the same comparison."""


class Migration(migrations.Migration):
    dependencies = [('models', '0035_commune_codes')]

    initial = False

    operations = [
        ops.RunPython(forward, backward),
    ]
