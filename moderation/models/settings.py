from django.db import models
from django.db.models import F, Q

from moderation.models.base import TimeStamped


class OfficeHours(models.Model):
    """When officers respond (GP014 2.4: 'during office hours'), per weekday."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, unique=True)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ("weekday",)
        verbose_name_plural = "office hours"
        constraints = [
            models.CheckConstraint(
                condition=(Q(opens__isnull=True) & Q(closes__isnull=True))
                | (Q(opens__isnull=False) & Q(closes__isnull=False) & Q(opens__lt=F("closes"))),
                name="office_hours_open_before_close",
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="office_hours_weekday_range"),
        ]

    def __str__(self) -> str:
        if self.opens is None or self.closes is None:
            return f"{self.get_weekday_display()}: closed"
        return f"{self.get_weekday_display()}: {self.opens:%H:%M}-{self.closes:%H:%M}"


class CannedReply(TimeStamped):
    """A ready reply officers can send, e.g. signposting repairs to direct contact (GP014 2.4)."""

    title = models.CharField(max_length=120, unique=True)
    body = models.TextField()
    route = models.CharField(max_length=16, blank=True, help_text="Suggested for this 2.4 route.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("title",)
        verbose_name_plural = "canned replies"

    def __str__(self) -> str:
        return self.title
