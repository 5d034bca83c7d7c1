"""What fixed SQL needs from the database it runs on."""

from __future__ import annotations


def numbered_marks(dialect: str, count: int) -> list[str]:
    """Placeholders for `count` parameters, numbered from 1 as each driver takes them: $1…
    for asyncpg (PostgreSQL), ?1… for sqlite3."""
    mark = "$" if dialect == "postgres" else "?"
    return [f"{mark}{number}" for number in range(1, count + 1)]
