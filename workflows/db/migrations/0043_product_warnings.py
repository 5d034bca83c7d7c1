"""Product warnings (workflows.warnings): drafted by one member of staff, published once a
second approves, withdrawn with the reason kept."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0042_client_updates')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ProductWarning',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('agency_code', fields.CharField(max_length=32)),
                ('product_name', fields.CharField(max_length=200)),
                ('brand', fields.CharField(default='', max_length=200)),
                ('brand_key', fields.CharField(default='', db_index=True, max_length=200)),
                ('barcode', fields.CharField(default='', max_length=32)),
                ('barcode_key', fields.CharField(default='', db_index=True, max_length=32)),
                ('batch', fields.CharField(default='', max_length=100)),
                ('batch_key', fields.CharField(default='', db_index=True, max_length=100)),
                ('body', fields.TextField(unique=False)),
                ('legal_basis', fields.CharField(max_length=500)),
                ('status', fields.CharField(default='draft', db_index=True, max_length=16)),
                ('drafted_by', fields.ForeignKeyField('models.StaffUser', source_field='drafted_by_id', db_constraint=True, to_field='id', related_name='warnings_drafted', on_delete=OnDelete.RESTRICT)),
                ('approved_by', fields.ForeignKeyField('models.StaffUser', source_field='approved_by_id', null=True, db_constraint=True, to_field='id', related_name='warnings_approved', on_delete=OnDelete.RESTRICT)),
                ('withdrawn_by', fields.ForeignKeyField('models.StaffUser', source_field='withdrawn_by_id', null=True, db_constraint=True, to_field='id', related_name='warnings_withdrawn', on_delete=OnDelete.RESTRICT)),
                ('withdraw_reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'product_warning', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A warning an agency publishes about a fake or unsafe product: what to look for and the'},
            bases=['Model'],
        ),
    ]
