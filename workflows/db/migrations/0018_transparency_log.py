"""The audit trail becomes a Merkle transparency log (workflows.audit.sequencer): the hash of
every complete subtree and the signed checkpoints, append-only like the events themselves.
Events written before stay as they are; the sequencer makes them the log's first leaves."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

TABLES = ("log_node", "log_checkpoint")
SQLITE_FORWARD = [
    statement
    for table in TABLES
    for statement in (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END",
    )
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_{operation}"
                   for table in TABLES for operation in ("update", "delete")]
# audit_event_append_only() (migration 0002) raises with the table's name.
POSTGRES_FORWARD = [
    # Events' numbers from now on (workflows.audit.log), after those the hash chain gave.
    "CREATE SEQUENCE audit_event_seq AS bigint",
    "SELECT setval('audit_event_seq', COALESCE((SELECT MAX(seq) FROM audit_event), 0) + 1, "
    "false)",
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
       END $$""",
    *(statement
      for table in TABLES
      for statement in (
          f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
          "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
          f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
          "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
      )),
]
POSTGRES_BACKWARD = [*(f"DROP TRIGGER IF EXISTS {table}_no_{operation} ON {table}"
                       for table in TABLES for operation in ("change", "truncate")),
                     "DROP SEQUENCE IF EXISTS audit_event_seq"]


async def _run(schema_editor: Any, statements_by_dialect: dict[str, list[str]]) -> None:
    dialect = schema_editor.client.capabilities.dialect
    if dialect not in statements_by_dialect:
        raise RuntimeError(f"no append-only triggers for database dialect {dialect!r}")
    for statement in statements_by_dialect[dialect]:
        await schema_editor.client.execute_query(statement)


async def forward(apps: Any, schema_editor: Any) -> None:
    await _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgres": POSTGRES_FORWARD})


async def backward(apps: Any, schema_editor: Any) -> None:
    await _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgres": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [('models', '0017_outbox_claims')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LogCheckpoint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('size', fields.BigIntField()),
                ('root', fields.BinaryField()),
                ('note', fields.TextField(unique=False)),
                ('signed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'log_checkpoint', 'app': 'models', 'indexes': [Index(fields=['size'])], 'pk_attr': 'id', 'table_description': 'A signed tree head: the log held `size` leaves with this root, signed as a C2SP'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LogNode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('level', fields.SmallIntField()),
                ('position', fields.BigIntField()),
                ('hash', fields.BinaryField()),
            ],
            options={'table': 'log_node', 'app': 'models', 'unique_together': (('level', 'position'),), 'pk_attr': 'id', 'table_description': "The hash of a complete subtree of the audit log's Merkle tree: the leaves"},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='AuditEvent',
            options={'table': 'audit_event', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One event of the append-only audit trail; seq is its place in the log (leaf index + 1).'},
        ),
        ops.AddField(
            model_name='AuditEvent',
            name='salt',
            field=fields.CharField(default='', db_default='', max_length=32),
        ),
        ops.RunPython(forward, backward),
    ]
