from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0007_sla_pause')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='shop_key',
            field=fields.CharField(default='', db_default='', db_index=True, max_length=200),
        ),
    ]
