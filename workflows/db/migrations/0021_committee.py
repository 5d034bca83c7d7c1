from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0020_conversation_and_outcomes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='StaffUser',
            name='personal_data',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
