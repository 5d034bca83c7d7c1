from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0022_outbox_attachments')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FrozenMonth',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('first_day', fields.DateField()),
                ('last_day', fields.DateField()),
                ('frozen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'frozen_month', 'app': 'models', 'unique_together': (('first_day', 'last_day'),), 'pk_attr': 'id', 'table_description': 'A reporting month whose report figures were counted once it had ended, and frozen: a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FrozenFigure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('month', fields.ForeignKeyField('models.FrozenMonth', source_field='month_id', db_constraint=True, to_field='id', related_name='figures', on_delete=OnDelete.CASCADE)),
                ('measure', fields.CharField(max_length=24)),
                ('agency', fields.CharField(max_length=16)),
                ('key1', fields.CharField(max_length=200)),
                ('key2', fields.CharField(max_length=200)),
                ('name', fields.CharField(max_length=200)),
                ('n', fields.BigIntField()),
                ('fines', fields.BigIntField()),
                ('quantity', fields.BigIntField()),
                ('value', fields.BigIntField()),
                ('correction', fields.BooleanField()),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'frozen_figure', 'app': 'models', 'indexes': [Index(fields=['month_id', 'measure'])], 'pk_attr': 'id', 'table_description': 'One count of a frozen month (see workflows.figures.tallies): a measure, the agency, one'},
            bases=['Model'],
        ),
    ]
