from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0024_explanation_requests')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CaseFollower',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='followers', on_delete=OnDelete.RESTRICT)),
                ('email', fields.CharField(max_length=320)),
                ('language', fields.CharField(default='vi', max_length=2)),
                ('link_nonce', fields.CharField(max_length=43)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('confirmation_sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('unsubscribed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'case_follower', 'app': 'models', 'unique_together': (('case', 'email'),), 'pk_attr': 'id', 'table_description': "Someone following a case's public status by email: mailed each public change once they"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ExplanationRequest',
            name='withdrawn_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
