from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from typing import Any

# The public updates of cases filed before this table: every public reply, and each outcome.
BACKFILL = """
INSERT INTO case_update (case_id, action, status, outcome, description, created_at)
SELECT case_id, action, status, outcome, description, created_at FROM (
    SELECT m.case_id AS case_id, 'public_reply' AS action, 'in_progress' AS status,
           '' AS outcome, m.body AS description, m.created_at AS created_at
    FROM case_message m WHERE m.author = 'agency'
    UNION ALL
    SELECT c.id, 'resolve', 'resolved', c.outcome, c.public_outcome, c.resolved_at
    FROM "case" c WHERE c.resolved_at IS NOT NULL
) AS earlier ORDER BY created_at
"""


async def forward(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_query(BACKFILL)


async def backward(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_query("DELETE FROM case_update")


class Migration(migrations.Migration):
    dependencies = [('models', '0018_transparency_log')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ApiClient',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=100)),
                ('key_digest', fields.CharField(unique=True, max_length=64)),
                ('collects_consent', fields.BooleanField(default=False)),
                ('reports_per_hour', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_client', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A registered Open311 client (a FixMyStreet instance, an app): its key is given once and'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CaseUpdate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='updates', on_delete=OnDelete.RESTRICT)),
                ('action', fields.CharField(max_length=32)),
                ('status', fields.CharField(max_length=16)),
                ('outcome', fields.CharField(default='', max_length=24)),
                ('description', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'case_update', 'app': 'models', 'indexes': [Index(fields=['case_id', 'id'])], 'pk_attr': 'id', 'table_description': 'A change the public may know of (a public reply, a new status, the outcome), in order:'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FilingKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('scope', fields.CharField(max_length=40)),
                ('key', fields.CharField(max_length=80)),
                ('request_digest', fields.CharField(max_length=64)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='filing_keys', on_delete=OnDelete.RESTRICT)),
                ('sealed_pin', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'filing_key', 'app': 'models', 'unique_together': (('scope', 'key'),), 'pk_attr': 'id', 'table_description': 'A filing a client may send again (its answer was lost): the key it gave (an'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Case',
            name='extra_attributes',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.RunPython(forward, backward),
    ]
