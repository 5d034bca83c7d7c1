from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0008_shop_key')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CaseSupport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='supports', on_delete=OnDelete.RESTRICT)),
                ('agency_code', fields.CharField(db_index=True, max_length=16)),
                ('task', fields.TextField(unique=False)),
                ('assignee', fields.ForeignKeyField('models.StaffUser', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name='support_tasks', on_delete=OnDelete.SET_NULL)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='open', max_length=16)),
                ('report', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'case_support', 'app': 'models', 'unique_together': (('case', 'agency_code'),), 'pk_attr': 'id', 'table_description': 'A supporting agency on a case: shared, not moved. It has its own task, assignee, due date'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Case',
            name='duplicate_of',
            field=fields.ForeignKeyField('models.Case', source_field='duplicate_of_id', null=True, db_constraint=True, to_field='id', related_name='duplicates', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Case',
            name='triage_due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
