from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0028_open_case_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BrandOwner',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.CharField(max_length=200)),
                ('kind', fields.CharField(max_length=16)),
                ('contact_name', fields.CharField(max_length=200)),
                ('email', fields.CharField(unique=True, max_length=320)),
                ('phone', fields.CharField(default='', max_length=20)),
                ('tax_code', fields.CharField(default='', max_length=14)),
                ('trademark_numbers', fields.TextField(unique=False)),
                ('language', fields.CharField(default='vi', max_length=2)),
                ('status', fields.CharField(default='pending', db_index=True, max_length=16)),
                ('review_note', fields.TextField(default='', unique=False)),
                ('reviewed_by', fields.ForeignKeyField('models.StaffUser', source_field='reviewed_by_id', null=True, db_constraint=True, to_field='id', related_name='brand_owners_reviewed', on_delete=OnDelete.SET_NULL)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ask_automatically', fields.BooleanField(default=True)),
                ('sign_in_nonce', fields.CharField(default='', max_length=43)),
                ('sign_in_sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('session_nonce', fields.CharField(default='', max_length=43)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'brand_owner', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A producer of branded goods, or its authorised distributor, registered with proof of its'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BrandClaim',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('models.BrandOwner', source_field='owner_id', db_constraint=True, to_field='id', related_name='claims', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=8)),
                ('value', fields.CharField(max_length=200)),
                ('key', fields.CharField(db_index=True, max_length=200)),
            ],
            options={'table': 'brand_claim', 'app': 'models', 'unique_together': (('owner', 'kind', 'key'),), 'pk_attr': 'id', 'table_description': 'A brand name or a GS1 company prefix a brand owner claims: a case naming the brand, or'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BrandInquiry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('models.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='brand_inquiries', on_delete=OnDelete.RESTRICT)),
                ('owner', fields.ForeignKeyField('models.BrandOwner', source_field='owner_id', db_constraint=True, to_field='id', related_name='inquiries', on_delete=OnDelete.RESTRICT)),
                ('asked_by', fields.ForeignKeyField('models.StaffUser', source_field='asked_by_id', null=True, db_constraint=True, to_field='id', related_name='brand_inquiries_asked', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('link_nonce', fields.CharField(max_length=43)),
                ('verdict', fields.CharField(default='', max_length=16)),
                ('opinion', fields.TextField(default='', unique=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'brand_inquiry', 'app': 'models', 'unique_together': (('case', 'owner'),), 'pk_attr': 'id', 'table_description': 'A verified brand owner asked whether the goods of a case are genuine: by a signed link'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BrandOwnerDocument',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('models.BrandOwner', source_field='owner_id', db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.RESTRICT)),
                ('storage_name', fields.CharField(unique=True, max_length=80)),
                ('original_name', fields.CharField(max_length=255)),
                ('content_type', fields.CharField(max_length=64)),
                ('size', fields.IntField()),
                ('received_sha256', fields.CharField(max_length=64)),
                ('stored_sha256', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'brand_owner_document', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A proof of the right to a brand (a trademark certificate, a distribution contract),'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GenuineGuide',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('models.BrandOwner', source_field='owner_id', db_constraint=True, to_field='id', related_name='guides', on_delete=OnDelete.RESTRICT)),
                ('brand', fields.CharField(max_length=200)),
                ('brand_key', fields.CharField(db_index=True, max_length=200)),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('published', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'genuine_guide', 'app': 'models', 'pk_attr': 'id', 'table_description': "How to tell a brand's genuine product from a fake, written by its verified owner and"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GuidePhoto',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('guide', fields.ForeignKeyField('models.GenuineGuide', source_field='guide_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.RESTRICT)),
                ('storage_name', fields.CharField(unique=True, max_length=80)),
                ('original_name', fields.CharField(max_length=255)),
                ('content_type', fields.CharField(max_length=64)),
                ('size', fields.IntField()),
                ('received_sha256', fields.CharField(max_length=64)),
                ('stored_sha256', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'guide_photo', 'app': 'models', 'pk_attr': 'id', 'table_description': "A photo of a genuine product's marks (the label, the stamp, the seal) in a guide."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Attachment',
            name='brand_inquiry',
            field=fields.ForeignKeyField('models.BrandInquiry', source_field='brand_inquiry_id', null=True, db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Attachment',
            name='shared_with_owners',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
