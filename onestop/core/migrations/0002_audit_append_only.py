"""Database triggers that refuse UPDATE and DELETE on the audit log.

The hash chain detects tampering; these triggers prevent the accidental kind and make the
deliberate kind require dropping a trigger first.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
