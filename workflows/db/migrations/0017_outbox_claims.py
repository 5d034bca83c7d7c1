from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0016_pin_lockout_per_address')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='claims',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
