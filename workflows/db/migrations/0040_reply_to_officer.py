"""An officer asking a business to explain may have its replies come to their own mailbox
rather than the agency's (workflows.mail.party_notices). Requests made before: the agency's."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0039_answer_photos')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ExplanationRequest',
            name='reply_to_officer',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
