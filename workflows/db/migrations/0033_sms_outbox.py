from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0032_event_numbering')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='OutboxMessage',
            options={'table': 'outbox_message', 'app': 'models', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['channel', 'created_at'])], 'pk_attr': 'id', 'table_description': 'An email or SMS waiting to be sent, written in the same transaction as its cause.'},
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='channel',
            field=fields.CharField(default='mail', db_default='mail', max_length=8),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='delivery',
            field=fields.CharField(default='', db_default='', max_length=16),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='delivery_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='sms_parts',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['channel', 'created_at']),
        ),
    ]
