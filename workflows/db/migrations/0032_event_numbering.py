"""Event numbers are never given twice (workflows.audit.numbering): SQLite's come from a one-row
counter, raised in each writer's transaction, instead of MAX(seq) + 1, which gave a deleted
tail's numbers to new events. The row also counts the numbers the log filled with void leaves.
The database lets the row grow only.

The counter starts above every number the trail or the log holds. The void count starts at the
numbers the log holds with no event under them: on PostgreSQL, rolled-back writers' numbers
(a gap left by events deleted before this migration is counted with them: `intake audit verify`
still names it); on SQLite none, as SQLite left no number unused."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

LOG_SIZE = "(SELECT COALESCE(MAX(position) + 1, 0) FROM log_node WHERE level = 0)"
SQLITE_FORWARD = [
    "INSERT INTO audit_numbering (id, last_seq, voids) "
    f"SELECT 1, MAX((SELECT COALESCE(MAX(seq), 0) FROM audit_event), {LOG_SIZE}), 0",
    "CREATE TRIGGER audit_numbering_only_grows BEFORE UPDATE ON audit_numbering "
    "WHEN NEW.id != OLD.id OR NEW.last_seq < OLD.last_seq OR NEW.voids < OLD.voids "
    "BEGIN SELECT RAISE(ABORT, 'audit_numbering only grows: UPDATE refused'); END",
    "CREATE TRIGGER audit_numbering_no_delete BEFORE DELETE ON audit_numbering "
    "BEGIN SELECT RAISE(ABORT, 'audit_numbering only grows: DELETE refused'); END",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_numbering_only_grows",
                   "DROP TRIGGER IF EXISTS audit_numbering_no_delete"]
POSTGRES_FORWARD = [
    # last_seq stays 0: PostgreSQL's counter is the sequence audit_event_seq (migration 0018).
    "INSERT INTO audit_numbering (id, last_seq, voids) SELECT 1, 0, GREATEST(log.size - "
    "(SELECT COUNT(*) FROM audit_event WHERE seq <= log.size), 0) FROM (SELECT "
    "COALESCE(MAX(position) + 1, 0) AS size FROM log_node WHERE level = 0) AS log",
    """CREATE OR REPLACE FUNCTION audit_numbering_only_grows() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           IF NEW.id = OLD.id AND NEW.last_seq >= OLD.last_seq AND NEW.voids >= OLD.voids THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'audit_numbering only grows: % refused', TG_OP;
       END $$""",
    "CREATE TRIGGER audit_numbering_only_grows BEFORE UPDATE OR DELETE ON audit_numbering "
    "FOR EACH ROW EXECUTE FUNCTION audit_numbering_only_grows()",
    "CREATE TRIGGER audit_numbering_no_truncate BEFORE TRUNCATE ON audit_numbering "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_numbering_only_grows()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_numbering_only_grows ON audit_numbering",
    "DROP TRIGGER IF EXISTS audit_numbering_no_truncate ON audit_numbering",
    "DROP FUNCTION IF EXISTS audit_numbering_only_grows()",
]


async def _run(schema_editor: Any, statements_by_dialect: dict[str, list[str]]) -> None:
    dialect = schema_editor.client.capabilities.dialect
    if dialect not in statements_by_dialect:
        raise RuntimeError(f"no event numbering for database dialect {dialect!r}")
    for statement in statements_by_dialect[dialect]:
        await schema_editor.client.execute_query(statement)


async def forward(apps: Any, schema_editor: Any) -> None:
    await _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgres": POSTGRES_FORWARD})


async def backward(apps: Any, schema_editor: Any) -> None:
    await _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgres": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [('models', '0031_sealed_cases_and_party_references')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EventNumbering',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('last_seq', fields.BigIntField(default=0)),
                ('voids', fields.BigIntField(default=0)),
            ],
            options={'table': 'audit_numbering', 'app': 'models', 'pk_attr': 'id', 'table_description': "The events' counter, one row that only grows: the last number given, and how many"},
            bases=['Model'],
        ),
        ops.RunPython(forward, backward),
    ]
