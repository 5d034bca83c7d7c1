"""A case stores its commune's or ward's official code beside the name (the province's list
from vietnam-provinces). Cases filed before keep their name and have no code."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0034_notify_sms')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='commune_code',
            field=fields.IntField(null=True),
        ),
    ]
