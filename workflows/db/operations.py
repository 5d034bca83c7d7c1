"""Migration operations Tortoise lacks.

Tortoise removes a column on SQLite by rebuilding the whole table (create a copy, copy every
row, drop, rename), which silently drops the table's other indexes and triggers — on `case`,
the queue's covering indexes and the search index's triggers — and copies a million rows.
SQLite has had ALTER TABLE … DROP COLUMN since 3.35, as PostgreSQL always had.
"""

from __future__ import annotations

from tortoise.migrations.operations import RemoveField
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State


class DropColumn(RemoveField):
    """RemoveField in place: the table, its rows, indexes and triggers stay as they are."""

    async def database_forward(self, app_label: str, old_state: State, new_state: State,
                               state_editor: BaseSchemaEditor | None = None) -> None:
        if not state_editor:
            return
        model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
        column = model._meta.fields_map[self.name].source_field or self.name
        # Through the editor, so that `sqlmigrate` shows it and a dry run collects it.
        await state_editor._run_sql(f'ALTER TABLE "{model._meta.db_table}" DROP COLUMN "{column}"')
