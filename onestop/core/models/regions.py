from django.db import models


class RegionLevel(models.IntegerChoices):
    CITY = 1, "市"
    DISTRICT = 2, "区"
    STREET = 3, "街道/镇"
    COMMUNITY = 4, "社区/村"


class Region(models.Model):
    """An administrative division (行政区划), identified by its statistics code."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Two units in 从化 exist only for statistics; they are kept, but flagged, so that
    # counts of administrative streets and towns stay right.
    is_administrative = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
