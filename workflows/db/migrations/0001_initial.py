import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Case',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tracking_code', fields.CharField(unique=True, max_length=10)),
                ('pin_digest', fields.CharField(max_length=64)),
                ('pin_failures', fields.IntField(default=0)),
                ('pin_locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('intake_channel', fields.CharField(default='web', max_length=16)),
                ('language', fields.CharField(default='vi', max_length=2)),
                ('category', fields.CharField(db_index=True, max_length=32)),
                ('product_name', fields.CharField(max_length=200)),
                ('brand', fields.CharField(default='', max_length=200)),
                ('product_group', fields.CharField(db_index=True, max_length=32)),
                ('barcode', fields.CharField(default='', max_length=32)),
                ('barcode_check_ok', fields.BooleanField(null=True)),
                ('barcode_gs1_prefix', fields.CharField(default='', max_length=3)),
                ('barcode_gs1_office', fields.CharField(default='', max_length=100)),
                ('label_origin', fields.CharField(default='unknown', max_length=8)),
                ('quantity', fields.IntField(null=True)),
                ('price_vnd', fields.BigIntField(null=True)),
                ('purchase_date', fields.DateField(null=True)),
                ('sales_channel', fields.CharField(db_index=True, max_length=16)),
                ('shop_name', fields.CharField(default='', max_length=200)),
                ('province', fields.CharField(default='', max_length=100)),
                ('commune', fields.CharField(default='', db_index=True, max_length=100)),
                ('street', fields.CharField(default='', max_length=200)),
                ('online_url', fields.CharField(default='', max_length=500)),
                ('platform', fields.CharField(default='', max_length=100)),
                ('description', fields.TextField(unique=False)),
                ('latitude', fields.FloatField(null=True)),
                ('longitude', fields.FloatField(null=True)),
                ('reporter_name', fields.CharField(default='', max_length=100)),
                ('reporter_phone', fields.CharField(default='', max_length=20)),
                ('reporter_email', fields.CharField(default='', max_length=254)),
                ('consent', fields.BooleanField(default=False)),
                ('status', fields.CharField(default='received', db_index=True, max_length=16)),
                ('agency_code', fields.CharField(null=True, db_index=True, max_length=16)),
                ('routing_rule', fields.IntField(null=True)),
                ('routing_reason', fields.CharField(default='', max_length=300)),
                ('due_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'case', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One citizen report and everything the agencies do with it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Attachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.RESTRICT)),
                ('storage_name', fields.CharField(unique=True, max_length=80)),
                ('original_name', fields.CharField(max_length=255)),
                ('content_type', fields.CharField(max_length=64)),
                ('size', fields.IntField()),
                ('received_sha256', fields.CharField(max_length=64)),
                ('stored_sha256', fields.CharField(max_length=64)),
                ('added_by', fields.CharField(default='reporter', max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'attachment', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A photo or PDF kept under the data dir by a random name, served only to authorised staff.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('seq', fields.BigIntField(unique=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', null=True, db_constraint=True, to_field='id', related_name='audit_events', on_delete=OnDelete.RESTRICT)),
                ('actor_type', fields.CharField(max_length=16)),
                ('actor_id', fields.CharField(default='', max_length=64)),
                ('action', fields.CharField(max_length=32)),
                ('before', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('after', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('prev_hash', fields.CharField(max_length=64)),
                ('hash', fields.CharField(max_length=64)),
            ],
            options={'table': 'audit_event', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One link of the append-only, hash-chained audit trail (triggers refuse UPDATE and DELETE).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CaseMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.RESTRICT)),
                ('author', fields.CharField(max_length=16)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'case_message', 'app': 'models', 'pk_attr': 'id', 'table_description': "What the reporter adds later (with code and PIN), and the agency's public replies."},
            bases=['Model'],
        ),
    ]
