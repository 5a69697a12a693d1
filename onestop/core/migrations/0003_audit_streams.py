"""The audit log splits into streams, one per app, each with a head row of its own.

Existing entries and the single chain head become the stream "platform", so a database
written before streams still verifies: those entries keep their sequence numbers and hashes
(decision 0017).

On SQLite, changing the table's columns and constraints rebuilds it, and the rebuild drops
the append-only triggers installed by 0002; this migration puts them back, going forward and
back. On PostgreSQL, ALTER TABLE keeps them. Adding the stream column with a default fills
existing rows without an UPDATE, which the triggers would refuse.
"""

from django.db import migrations, models

LEGACY_STREAM = "platform"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]


def triggers_reinstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def head_to_stream(apps, schema_editor):
    ChainHead = apps.get_model("core", "AuditChainHead")
    StreamHead = apps.get_model("core", "AuditStreamHead")
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None:
        StreamHead.objects.create(
            stream=LEGACY_STREAM, last_seq=head.last_seq, last_hash=head.last_hash
        )


def stream_to_head(apps, schema_editor):
    # One chain can hold only what one stream holds: going back after other streams were
    # written would make their sequence numbers collide.
    Entry = apps.get_model("core", "AuditEntry")
    ChainHead = apps.get_model("core", "AuditChainHead")
    StreamHead = apps.get_model("core", "AuditStreamHead")
    if Entry.objects.exclude(stream=LEGACY_STREAM).exists():
        raise RuntimeError(
            "audit entries outside the 'platform' stream exist: the single chain cannot hold them"
        )
    head = StreamHead.objects.filter(stream=LEGACY_STREAM).first()
    if head is not None:
        ChainHead.objects.create(pk=1, last_seq=head.last_seq, last_hash=head.last_hash)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        # Undone last when going back: the table rebuilds below drop the triggers.
        migrations.RunPython(migrations.RunPython.noop, triggers_reinstall),
        migrations.CreateModel(
            name="AuditStreamHead",
            fields=[
                ("stream", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("last_seq", models.BigIntegerField(default=0)),
                (
                    "last_hash",
                    models.CharField(
                        default="0000000000000000000000000000000000000000000000000000000000000000",
                        max_length=64,
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="auditentry",
            name="stream",
            field=models.CharField(default=LEGACY_STREAM, max_length=100),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("stream", "seq"), name="core_auditentry_stream_seq"
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["created_at", "id"], name="core_auditentry_time"),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["created_at", "id"], "verbose_name_plural": "audit entries"},
        ),
        migrations.RunPython(head_to_stream, stream_to_head),
        migrations.DeleteModel(name="AuditChainHead"),
        migrations.RunPython(triggers_reinstall, migrations.RunPython.noop),
    ]
