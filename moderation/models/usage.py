from django.db import models
from django.db.models import Q

from moderation.models.base import TimeStamped


class ChannelUsage(TimeStamped):
    """Units a channel spent on its platform in one platform day (the ledger budgets plan from).

    X counts posts read (billed and capped per month); YouTube counts quota units (per day,
    reset at midnight Pacific, so `day` is the Pacific date there). The adapter says which
    day a moment falls in; services add what each poll and action spent.
    """

    channel = models.ForeignKey("Channel", on_delete=models.CASCADE, related_name="usage")
    day = models.CharField(max_length=10, help_text="The platform's own day, YYYY-MM-DD.")
    units = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "day"], name="channel_usage_one_row_a_day"),
            models.CheckConstraint(
                condition=Q(day__regex=r"^\d{4}-\d{2}-\d{2}$"), name="channel_usage_day_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"channel {self.channel_id} {self.day}: {self.units}"
