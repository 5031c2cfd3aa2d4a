from django.conf import settings
from django.db import models
from django.db.models import Q

from moderation.models.base import TimeStamped


class ActionKind(models.TextChoices):
    REPLY = "reply", "Reply"
    HIDE = "hide", "Hide"
    UNHIDE = "unhide", "Unhide"
    DELETE = "delete", "Delete"
    BLOCK = "block", "Block / ban author"
    UNBLOCK = "unblock", "Unblock author"
    REPORT = "report", "Report"
    DISMISS = "dismiss", "Dismiss"
    ESCALATE = "escalate", "Escalate"
    NOTE = "note", "Note"


# Kinds that call the platform; the others only change our own records.
PLATFORM_KINDS = frozenset({"reply", "hide", "unhide", "delete", "block", "unblock"})


class ActionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"  # committed before a non-idempotent platform call
    SENT = "sent", "Sent"
    CONFIRMED = "confirmed", "Confirmed"
    FAILED = "failed", "Failed"
    NEEDS_CHECK = "needs_check", "Needs a person to check"


OPEN_ACTION_STATUSES = (ActionStatus.PENDING, ActionStatus.SENDING)


class Action(TimeStamped):
    """A moderation action on an item or author, and its delivery to the platform."""

    item = models.ForeignKey(
        "moderation.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    author = models.ForeignKey(
        "moderation.Author", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    channel = models.ForeignKey("moderation.Channel", on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.PENDING)
    idempotency_key = models.CharField(max_length=200, unique=True)
    payload = models.JSONField(default=dict, blank=True, help_text="e.g. the reply text.")
    platform_response = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Set while the action waits for a platform budget's reset (YouTube's daily quota): the wait
    # costs no attempt, and neither the sweeper nor an early redelivery sends it before then.
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(author__isnull=False), name="action_has_target"
            ),
            models.CheckConstraint(condition=Q(kind__in=ActionKind.values), name="action_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_valid"),
            # A double-click collapses into one action: one open action per item and kind.
            models.UniqueConstraint(
                fields=["item", "kind"],
                condition=Q(status__in=["pending", "sending"]) & Q(item__isnull=False),
                name="action_one_open_per_item_kind",
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="action_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
