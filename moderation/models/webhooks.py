from django.db import models
from django.db.models import Q

from moderation.models.base import Platform, TimeStamped


class WebhookEventStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be processed"
    DONE = "done", "Processed"
    FAILED = "failed", "Failed"


class WebhookEvent(TimeStamped):
    """A signed webhook body as received, stored before it is processed (docs/architecture.md).

    The view verifies the signature, stores this row and answers at once; the
    `webhook_process` task does the work. A redelivery of the same bytes finds
    the same row (unique digest), so it is processed once.
    """

    platform = models.CharField(max_length=16, choices=Platform.choices)
    body = models.TextField(help_text="The raw body, exactly as signed.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the body.")
    received_at = models.DateTimeField()
    deliveries = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=8, choices=WebhookEventStatus.choices, default=WebhookEventStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-received_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["platform", "digest"], name="webhook_event_unique_body"),
            models.CheckConstraint(
                condition=Q(status__in=WebhookEventStatus.values), name="webhook_event_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="webhook_event_status_idx")]

    def __str__(self) -> str:
        return f"{self.platform} webhook #{self.pk} ({self.status})"
