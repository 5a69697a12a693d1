from django.db import models


class CalendarOverride(models.Model):
    """An administrator's word on one date, which beats the packaged calendar: next year's
    holidays once the State Council announces them, or a local closure."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField()
    name = models.CharField(max_length=50, blank=True, help_text="e.g. 春节, 调休上班")
    source = models.CharField(max_length=300, blank=True, help_text="the notice it comes from")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "working day" if self.is_working_day else "day off"
        return f"{self.date} {kind}"
