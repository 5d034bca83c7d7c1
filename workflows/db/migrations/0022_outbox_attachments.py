from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0021_committee')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='attachment',
            field=fields.BinaryField(null=True),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='attachment_name',
            field=fields.CharField(default='', db_default='', max_length=200),
        ),
    ]
