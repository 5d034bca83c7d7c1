from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0026_supporting_reports')]

    initial = False

    operations = [
        ops.AddField(
            model_name='SupportingReport',
            name='counted',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='SupportingReport',
            name='network_digest',
            field=fields.CharField(default='', db_default='', max_length=64),
        ),
    ]
