"""Frozen blocks: a quarter, half or year of frozen months added up once (FrozenMonth.months)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0045_warning_photos')]

    initial = False

    operations = [
        ops.AddField(
            model_name='FrozenMonth',
            name='months',
            field=fields.SmallIntField(default=1, db_default=1),
        ),
    ]
