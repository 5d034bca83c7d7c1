from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0005_case_workflow')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CaseNote',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='notes', on_delete=OnDelete.RESTRICT)),
                ('author', fields.ForeignKeyField('models.StaffUser', source_field='author_id', db_constraint=True, to_field='id', related_name='notes', on_delete=OnDelete.RESTRICT)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'case_note', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An internal note by staff: never shown to the reporter or the public.'},
            bases=['Model'],
        ),
    ]
