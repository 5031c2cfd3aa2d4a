"""What the pipeline may do on its own, set by Leads: automatic hides and out-of-hours escalation."""

from django.db import models
from django.db.models import Q

from moderation.models.base import TimeStamped

# GP014 2.4 routes: complaints and repairs must reach a person, never disappear (the Housing
# Ombudsman's Complaint Handling Code expects complaints made on social media to be recognised).
NEVER_AUTOMATIC = ("repair", "complaint", "personal_issue", "safeguarding")


class AutoActionRule(TimeStamped):
    """Hide an item automatically when a flag of this category is at least this sure.

    "threat" means a harassment flag from the threat rule; other keys are policy categories.
    The hide is reversible (unhide), audited with the clause as the system actor, and the item
    stays in the queue for an officer to confirm.
    """

    category = models.CharField(max_length=32, unique=True)
    enabled = models.BooleanField(default=False)
    min_score = models.FloatField(default=0.85, help_text="0 to 1; rule flags only, never the model alone.")

    class Meta:
        ordering = ("category",)
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__gte=0.5) & Q(min_score__lte=1), name="auto_action_score_range"
            ),
            models.CheckConstraint(
                condition=~Q(category__in=NEVER_AUTOMATIC), name="auto_action_not_a_route"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {'hide at ' + format(self.min_score, '.2f') if self.enabled else 'off'}"


class EscalationSettings(models.Model):
    """One row (pk=1): who is told at once, and what happens to risky items out of hours."""

    on_call_emails = models.TextField(
        blank=True,
        help_text="One address a line (or comma-separated). Safeguarding and threats email them at once, "
        "any hour. ONCALL_EMAILS in the environment adds more.",
    )
    hide_high_risk_out_of_hours = models.BooleanField(
        default=False,
        help_text="Out of office hours, hide items the policy says should come down, pending review.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "escalation settings"
        verbose_name_plural = "escalation settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="escalation_settings_single_row")]

    def __str__(self) -> str:
        return "Escalation settings"

    @property
    def recipients(self) -> list[str]:
        return [a.strip() for a in self.on_call_emails.replace(",", "\n").splitlines() if a.strip()]


class ItemEventMark(models.Model):
    """The newest platform event applied to one item, and its removal (a tombstone).

    Webhooks arrive late, twice and out of order. An event older than the newest one applied
    to the item changes nothing, and an add or edit no newer than the item's removal never
    brings it back, even when the removal came first (for an item we had not seen yet).
    """

    channel = models.ForeignKey("moderation.Channel", on_delete=models.CASCADE, related_name="+")
    platform_id = models.CharField(max_length=255)
    last_event_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "platform_id"], name="item_event_mark_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.platform_id} on {self.channel_id} at {self.last_event_at:%Y-%m-%d %H:%M:%S}"
