"""A citizen's update posted by an Open311 client (FixMyStreet's servicerequestupdates) keeps
the client's own id for it, so that a retry finds the message it made instead of adding a
second one. Messages from elsewhere have none."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0041_shop_keys_keep_letters')]

    initial = False

    operations = [
        ops.AddField(
            model_name='CaseMessage',
            name='client_ref',
            field=fields.CharField(max_length=100, null=True, unique=True),
        ),
    ]
