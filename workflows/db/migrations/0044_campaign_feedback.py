"""The campaign's feedback that is not a complaint (workflows.campaign): suggestions, and
Vietnamese products and shops citizens recommend."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0043_product_warnings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CampaignFeedback',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(db_index=True, max_length=16)),
                ('subject', fields.CharField(default='', max_length=200)),
                ('brand', fields.CharField(default='', max_length=200)),
                ('commune', fields.CharField(default='', max_length=100)),
                ('body', fields.TextField(unique=False)),
                ('contact_name', fields.CharField(default='', max_length=100)),
                ('contact_phone', fields.CharField(default='', max_length=20)),
                ('contact_email', fields.CharField(default='', max_length=254)),
                ('language', fields.CharField(default='vi', max_length=2)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'campaign_feedback', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A suggestion, or a Vietnamese product or shop a citizen recommends: read by the steering'},
            bases=['Model'],
        ),
    ]
