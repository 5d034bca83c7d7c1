from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from typing import Any
from tortoise.indexes import Index

# What was there before: the reporter's messages are additions; a seized quantity and value
# become one seized item of no stated unit, and the case counts one kind of goods seized.
BACKFILL = [
    "UPDATE case_message SET kind = 'addition' WHERE author = 'reporter'",
    'INSERT INTO seized_item (case_id, name, quantity, unit, value_vnd, destroyed) '
    'SELECT id, \'\', seized_quantity, \'\', seized_value_vnd, FALSE FROM "case" '
    'WHERE seized_quantity IS NOT NULL',
    'UPDATE "case" SET seized_quantity = 1 WHERE seized_quantity IS NOT NULL',
]


async def forward(apps: Any, schema_editor: Any) -> None:
    for statement in BACKFILL:
        await schema_editor.client.execute_query(statement)


async def backward(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_query("DELETE FROM seized_item")


class Migration(migrations.Migration):
    dependencies = [('models', '0019_open311_clients')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CaseFeedback',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='feedback', on_delete=OnDelete.RESTRICT)),
                ('resolved_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('satisfied', fields.BooleanField()),
                ('comment', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('review', fields.CharField(default='', max_length=16)),
                ('decided_by', fields.ForeignKeyField('models.StaffUser', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='review_decisions', on_delete=OnDelete.SET_NULL)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decision_reason', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'case_feedback', 'app': 'models', 'unique_together': (('case', 'resolved_at'),), 'indexes': [Index(fields=['review', 'case_id'])], 'pk_attr': 'id', 'table_description': "The reporter's word on one resolution: satisfied or not, and why. Not satisfied within"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SeizedItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='seized_items', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=200)),
                ('quantity', fields.DecimalField(max_digits=15, decimal_places=3)),
                ('unit', fields.CharField(max_length=32)),
                ('value_vnd', fields.BigIntField(null=True)),
                ('destroyed', fields.BooleanField(default=False)),
            ],
            options={'table': 'seized_item', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One kind of goods seized on a resolution: how much, in which unit, worth what, and'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Case',
            name='decision_date',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Case',
            name='decision_number',
            field=fields.CharField(default='', db_default='', max_length=50),
        ),
        ops.AddField(
            model_name='Case',
            name='new_info_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Case',
            name='violator_kind',
            field=fields.CharField(default='', db_default='', max_length=16),
        ),
        ops.AddField(
            model_name='Case',
            name='violator_name',
            field=fields.CharField(default='', db_default='', max_length=200),
        ),
        ops.AddField(
            model_name='Case',
            name='violator_tax_code',
            field=fields.CharField(default='', db_default='', max_length=14),
        ),
        ops.AlterModelOptions(
            name='CaseMessage',
            options={'table': 'case_message', 'app': 'models', 'pk_attr': 'id', 'table_description': "The conversation with the reporter: the agency's public replies and questions, and what"},
        ),
        ops.AddField(
            model_name='CaseMessage',
            name='kind',
            field=fields.CharField(default='reply', db_default='reply', max_length=16),
        ),
        ops.AddField(
            model_name='StaffUser',
            name='muted_notices',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.RunPython(forward, backward),
    ]
