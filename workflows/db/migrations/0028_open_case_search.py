"""A second trigram index holding only the open cases, the queue's usual view: a popular
brand matches tens of thousands of cases over the years, a few thousand of them open. On SQLite
an FTS5 table that triggers keep to the open cases; on PostgreSQL a partial GIN index.

The open statuses are written out here as they are today (workflows.cases.states.OPEN_STATES);
a change to them needs a migration that rebuilds this index.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

OPEN = "('assigned', 'in_progress', 'received', 'triaged', 'waiting')"
_DELETE_OLD = ("INSERT INTO open_case_search(open_case_search, rowid, search_text) "
               f"SELECT 'delete', old.id, old.search_text WHERE old.status IN {OPEN};")
_INSERT_NEW = ("INSERT INTO open_case_search(rowid, search_text) "
               f"SELECT new.id, new.search_text WHERE new.status IN {OPEN};")
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE open_case_search USING fts5(search_text, content='case', "
    "content_rowid='id', tokenize='trigram')",
    f'CREATE TRIGGER open_case_search_insert AFTER INSERT ON "case" BEGIN {_INSERT_NEW} END',
    f'CREATE TRIGGER open_case_search_delete AFTER DELETE ON "case" BEGIN {_DELETE_OLD} END',
    # One trigger, the old text out before the new in: FTS5 forgets a row's entries for every
    # trigram of the text it is told to delete, shared ones included.
    'CREATE TRIGGER open_case_search_update AFTER UPDATE OF status, search_text ON "case" '
    f"BEGIN {_DELETE_OLD} {_INSERT_NEW} END",
    "INSERT INTO open_case_search(rowid, search_text) "
    f'SELECT id, search_text FROM "case" WHERE status IN {OPEN}',
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS open_case_search_insert",
    "DROP TRIGGER IF EXISTS open_case_search_delete",
    "DROP TRIGGER IF EXISTS open_case_search_update",
    "DROP TABLE IF EXISTS open_case_search",
]
POSTGRES_FORWARD = [
    'CREATE INDEX case_open_search_trgm ON "case" USING gin (search_text gin_trgm_ops) '
    f"WHERE status IN {OPEN}",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS case_open_search_trgm"]


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for statement in {"sqlite": SQLITE_FORWARD,
                      "postgres": POSTGRES_FORWARD}[client.capabilities.dialect]:
        await client.execute_script(statement)


async def backward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for statement in {"sqlite": SQLITE_BACKWARD,
                      "postgres": POSTGRES_BACKWARD}[client.capabilities.dialect]:
        await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("models", "0027_supporters_counted_once")]

    operations = [ops.RunPython(forward, backward)]
