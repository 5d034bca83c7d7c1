from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0013_published_months')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RateCounter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=300)),
                ('window_start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('hits', fields.IntField(default=0)),
            ],
            options={'table': 'rate_counter', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Requests counted per key ("report:<address>") in a window, in the database so that'},
            bases=['Model'],
        ),
    ]
