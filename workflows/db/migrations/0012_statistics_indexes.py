from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0011_queue_indexes')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Case',
            index=Index(fields=['created_at', 'category', 'agency_code', 'commune', 'product_group', 'sales_channel', 'intake_channel', 'status', 'resolved_at']),
        ),
        ops.AddIndex(
            model_name='Case',
            index=Index(fields=['created_at', 'agency_code', 'brand']),
        ),
        ops.AddIndex(
            model_name='Case',
            index=Index(fields=['created_at', 'agency_code', 'product_name']),
        ),
        ops.AddIndex(
            model_name='Case',
            index=Index(fields=['created_at', 'agency_code', 'shop_key', 'commune', 'shop_name']),
        ),
        ops.AddIndex(
            model_name='Case',
            index=Index(fields=['resolved_at', 'due_at', 'outcome', 'agency_code', 'created_at', 'fine_vnd', 'seized_quantity', 'seized_value_vnd']),
        ),
    ]
