"""A reporter may ask for SMS about their report (report field notify_sms): older cases did
not."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0033_sms_outbox')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='notify_sms',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
