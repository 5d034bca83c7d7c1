from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0025_followers_withdrawn_explanations')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SupportingReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='supporting_reports', on_delete=OnDelete.RESTRICT)),
                ('note', fields.TextField(default='', unique=False)),
                ('reporter_email', fields.CharField(default='', max_length=320)),
                ('consent', fields.BooleanField(default=False)),
                ('language', fields.CharField(default='vi', max_length=2)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'supporting_report', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Another citizen who saw the same goods and added to an open case instead of filing a'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Attachment',
            name='supporting_report',
            field=fields.ForeignKeyField('models.SupportingReport', source_field='supporting_report_id', null=True, db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Case',
            name='supporters',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
