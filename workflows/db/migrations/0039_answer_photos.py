"""A reporter's file keeps the message it was sent with, so staff see an answer's photos
beside its words. Files sent before keep none and show only in the case's list."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0038_mail_answerer')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attachment',
            name='message',
            field=fields.ForeignKeyField('models.CaseMessage', source_field='message_id', null=True, db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.RESTRICT),
        ),
    ]
