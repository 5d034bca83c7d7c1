"""The unit of the quantity bought (report field quantity_unit): "2 chai" is kept as 2 and
"chai". Older cases have none."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0036_folded_shop_keys')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='quantity_unit',
            field=fields.CharField(default='', db_default='', max_length=32),
        ),
    ]
