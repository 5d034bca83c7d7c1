from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0023_frozen_figures')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ExplanationRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='explanations', on_delete=OnDelete.RESTRICT)),
                ('party_kind', fields.CharField(max_length=16)),
                ('party_name', fields.CharField(max_length=200)),
                ('party_email', fields.CharField(max_length=320)),
                ('question', fields.TextField(unique=False)),
                ('due_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('pauses', fields.BooleanField(default=False)),
                ('link_nonce', fields.CharField(max_length=43)),
                ('requested_by', fields.ForeignKeyField('models.StaffUser', source_field='requested_by_id', null=True, db_constraint=True, to_field='id', related_name='explanations_requested', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('answer', fields.TextField(default='', unique=False)),
                ('public_summary', fields.TextField(default='', unique=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'explanation_request', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A business (the seller or the brand owner) asked to explain, by a signed link that'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Attachment',
            name='explanation',
            field=fields.ForeignKeyField('models.ExplanationRequest', source_field='explanation_id', null=True, db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.RESTRICT),
        ),
    ]
