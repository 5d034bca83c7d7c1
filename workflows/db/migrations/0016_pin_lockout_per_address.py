"""Wrong PINs are counted per case and address in the lockout table (workflows.access.limits),
no longer on the case; its two counter columns go, in place (workflows.db.operations)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from workflows.db.operations import DropColumn


class Migration(migrations.Migration):
    dependencies = [('models', '0015_queue_covering_indexes')]

    initial = False

    operations = [
        DropColumn(model_name='Case', name='pin_failures'),
        DropColumn(model_name='Case', name='pin_locked_until'),
        ops.AlterModelOptions(
            name='LoginThrottle',
            options={'table': 'login_throttle', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Attempts at a secret counted per subject (a lockout of workflows.access.limits), in the'},
        ),
    ]
