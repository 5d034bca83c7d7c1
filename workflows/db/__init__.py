"""The database: Tortoise configuration, migrations, the SQLite backend, its errors."""
