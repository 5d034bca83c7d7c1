import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0012_statistics_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PublishedMonth',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('label', fields.CharField(unique=True, max_length=16)),
                ('first_day', fields.DateField()),
                ('last_day', fields.DateField()),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('rows', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'published_month', 'app': 'models', 'pk_attr': 'id', 'table_description': "A reporting month's open-data figures, frozen when published: official figures do not"},
            bases=['Model'],
        ),
    ]
