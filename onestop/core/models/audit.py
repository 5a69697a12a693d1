from django.db import models


class AuditEntry(models.Model):
    """One recorded change. Append-only: database triggers refuse UPDATE and DELETE, and each
    entry carries the hash of the one before, so an edit that bypasses the triggers is
    still found by `onestop audit verify`."""

    seq = models.BigIntegerField(unique=True)
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
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # Counting one actor's recent entries of a kind (reveals are rate-limited by them).
            models.Index(fields=["actor_id", "action", "created_at"], name="audit_actor_action_at"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row every append locks: it serialises writers and remembers the last
    entry, so removing the newest entries is detected too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
