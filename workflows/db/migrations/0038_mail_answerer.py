"""A mail sent outside the agencies names who answers it: the From's name and the Reply-To
(workflows.mail.answering). Mail queued before has neither and goes as before."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0037_quantity_unit')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='from_name',
            field=fields.CharField(default='', db_default='', max_length=200),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='reply_to',
            field=fields.CharField(default='', db_default='', max_length=254),
        ),
    ]
