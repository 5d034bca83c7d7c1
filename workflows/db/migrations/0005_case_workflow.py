from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0004_staff_accounts')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='assignee',
            field=fields.ForeignKeyField('models.StaffUser', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name='assigned_cases', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Case',
            name='fine_vnd',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Case',
            name='legal_basis',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.AddField(
            model_name='Case',
            name='outcome',
            field=fields.CharField(default='', db_default='', max_length=24),
        ),
        ops.AddField(
            model_name='Case',
            name='public_outcome',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.AddField(
            model_name='Case',
            name='resolved_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Case',
            name='seized_quantity',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Case',
            name='seized_value_vnd',
            field=fields.BigIntField(null=True),
        ),
    ]
