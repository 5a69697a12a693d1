from django.db import models


class AuditEntry(models.Model):
    """One recorded change. Append-only: database triggers refuse UPDATE and DELETE, and each
    entry carries the hash of the one before it in its stream, so an edit that bypasses the
    triggers is still found by `onestop audit verify`.

    The log is a set of streams, one per app (decision 0017): entries of different streams
    never wait for each other, and each stream is a hash chain of its own, numbered from 1.
    """

    stream = models.CharField(max_length=100)
    seq = models.BigIntegerField()
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    ip = models.CharField(max_length=45, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="core_auditentry_stream_seq")
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The audit viewer lists the whole log by time, newest first.
            models.Index(fields=["created_at", "id"], name="core_auditentry_time"),
            # Counting one actor's recent entries of a kind (reveals are rate-limited by them).
            models.Index(fields=["actor_id", "action", "created_at"], name="audit_actor_action_at"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditStreamHead(models.Model):
    """One row per stream, locked by every append to that stream: it serialises the stream's
    writers (and only theirs) and remembers its last entry, so removing the newest entries
    is detected too unless this row is rewound with them (the signed anchors catch that)."""

    stream = models.CharField(max_length=100, primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit stream {self.stream} at #{self.last_seq}"
