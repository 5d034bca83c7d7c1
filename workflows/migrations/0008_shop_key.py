from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

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
