from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0010_case_search')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Case',
            index=Index(fields=['status', 'due_at']),
        ),
        ops.AddIndex(
            model_name='Case',
            index=Index(fields=['agency_code', 'status', 'due_at']),
        ),
    ]
