from django.db import models


class Department(models.Model):
    """A competent department: a city department (市局/委) or a district bureau (区局)."""

    code = models.CharField(max_length=32, unique=True, help_text="short code, e.g. GZ-SCJGJ")
    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=30, blank=True)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="departments")
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bureaus",
        help_text="for a district bureau, the city department it answers to",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["region__code", "code"]

    def __str__(self) -> str:
        return self.name
