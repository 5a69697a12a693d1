"""Service centres (政务服务中心): where people are served in person.

A centre sits at the city, a district or a street/town, offers some hall categories
(综合窗口分类) and opens by a weekly timetable read against the working-day calendar.
Windows, kiosks and call boards belong to the hall app; bookable slots to appointments.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from onestop.centres.enums import CentreLevel
from onestop.core.access import Place
from onestop.core.i18n import translations_field


class Centre(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    name_i18n = translations_field()
    level = models.CharField(max_length=10, choices=CentreLevel.choices)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="centres")
    address = models.CharField(max_length=200)
    address_i18n = translations_field()
    phone = models.CharField(max_length=40, blank=True)
    categories = models.ManyToManyField("catalog.HallCategory", related_name="centres")
    # 节假日不打烊: some halls (and the 24-hour self-service zones of Guangzhou's halls) keep
    # their timetable through public holidays instead of closing.
    open_on_holidays = models.BooleanField(
        default=False,
        verbose_name=_("open on public holidays"),
        help_text=_("Keeps its weekday timetable on public holidays and days off in lieu."),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> Place:
        return Place(centre_id=self.pk)


class OpeningSession(models.Model):
    """One opening span on a weekday (0 = Monday). A day may have two (morning, afternoon)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="sessions")
    weekday = models.PositiveSmallIntegerField(
        choices=[(i, str(i)) for i in range(7)], verbose_name=_("weekday")
    )
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["centre", "weekday", "opens"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "weekday", "opens"], name="centres_session_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="centres_session_closes_after_opens"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="centres_session_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"
