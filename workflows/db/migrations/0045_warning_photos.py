"""Photos shown with a product warning (workflows.warnings.models.WarningPhoto)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0044_campaign_feedback')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WarningPhoto',
            fields=[
                ('storage_name', fields.CharField(unique=True, max_length=80)),
                ('original_name', fields.CharField(max_length=255)),
                ('content_type', fields.CharField(max_length=64)),
                ('size', fields.IntField()),
                ('received_sha256', fields.CharField(max_length=64)),
                ('stored_sha256', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('warning', fields.ForeignKeyField('models.ProductWarning', source_field='warning_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'product_warning_photo', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A photo of the fake product or of its marks, shown with the warning: checked and stored'},
            bases=['StoredFile'],
        ),
    ]
