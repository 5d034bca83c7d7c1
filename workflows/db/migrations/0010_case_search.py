"""A folded search text on each case, and the index that makes substring search fast:
an FTS5 trigram table kept in step by triggers on SQLite, a pg_trgm GIN index on PostgreSQL."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from workflows.cases.search import search_text

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE case_search USING fts5(search_text, content='case', "
    "content_rowid='id', tokenize='trigram')",
    'CREATE TRIGGER case_search_insert AFTER INSERT ON "case" BEGIN '
    "INSERT INTO case_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    'CREATE TRIGGER case_search_delete AFTER DELETE ON "case" BEGIN '
    "INSERT INTO case_search(case_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    'CREATE TRIGGER case_search_update AFTER UPDATE OF search_text ON "case" BEGIN '
    "INSERT INTO case_search(case_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO case_search(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_REBUILD = ["INSERT INTO case_search(case_search) VALUES ('rebuild')"]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS case_search_insert",
    "DROP TRIGGER IF EXISTS case_search_delete",
    "DROP TRIGGER IF EXISTS case_search_update",
    "DROP TABLE IF EXISTS case_search",
]
# pg_trgm ships with PostgreSQL and is a trusted extension: the database owner may create it.
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE INDEX case_search_text_trgm ON "case" USING gin (search_text gin_trgm_ops)',
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS case_search_text_trgm"]
BATCH = 2000


async def _backfill(client: Any, dialect: str) -> None:
    """Cases stored before this migration get their search text."""
    last = 0
    update = ('UPDATE "case" SET search_text = ? WHERE id = ?' if dialect == "sqlite"
              else 'UPDATE "case" SET search_text = $1 WHERE id = $2')
    while True:
        rows = await client.execute_query_dict(
            f'SELECT id, product_name, brand, shop_name FROM "case" WHERE id > {last} '
            f"ORDER BY id LIMIT {BATCH}")
        if not rows:
            return
        await client.execute_many(update, [
            [search_text(row["product_name"], row["brand"], row["shop_name"]), row["id"]]
            for row in rows])
        last = rows[-1]["id"]


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    # Backfill first: the FTS5 update trigger deletes the old text from the index, which
    # corrupts it if that text was never indexed. 'rebuild' then indexes every row.
    await _backfill(client, dialect)
    statements = {"sqlite": SQLITE_FORWARD + SQLITE_REBUILD, "postgres": POSTGRES_FORWARD}[dialect]
    for statement in statements:
        await client.execute_script(statement)


async def backward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    dialect = client.capabilities.dialect
    for statement in {"sqlite": SQLITE_BACKWARD, "postgres": POSTGRES_BACKWARD}[dialect]:
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0009_supports_duplicates_triage_sla")]

    operations = [
        ops.AddField(
            model_name="Case",
            name="search_text",
            field=fields.CharField(default="", db_default="", max_length=620),
        ),
        ops.RunPython(forward, backward),
    ]
