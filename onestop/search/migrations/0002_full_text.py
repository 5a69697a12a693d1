"""The full-text table beside the index, in the form each database has: an FTS5 virtual
table on SQLite, a tsvector table with GIN indexes on PostgreSQL (see `backends`)."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "head, body, tokenize = 'unicode61 remove_diacritics 0')",
]
POSTGRES_UP = [
    "CREATE TABLE search_fts ("
    "doc_id integer PRIMARY KEY, head tsvector NOT NULL, body tsvector NOT NULL)",
    "CREATE INDEX search_fts_head ON search_fts USING gin (head)",
    "CREATE INDEX search_fts_body ON search_fts USING gin (body)",
]
DOWN = ["DROP TABLE IF EXISTS search_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": DOWN, "postgresql": DOWN}),
        ),
    ]
