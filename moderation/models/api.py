"""API tokens for the intranet and its outgoing webhooks (issue 9; docs/api.md).

A token is stored as the SHA-256 of a 256-bit random secret: the secret is shown once
and cannot be recovered. Each token acts through its own service user whose role
matches its scopes, so the audit trail names the integration that did something.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from moderation.fields import EncryptedJSONField


class ApiScope(models.TextChoices):
    READ = "read", "Read: list and fetch"
    ACT = "act", "Act: officer decisions on items"
    ADMIN = "admin", "Admin: audit log, webhooks and tokens"


class ApiToken(models.Model):
    name = models.CharField(max_length=80, help_text='What uses it, e.g. "intranet".')
    prefix = models.CharField(max_length=16, help_text="The first characters, to recognise it in lists.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token; never the token.")
    scopes = models.JSONField(default=list)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", help_text="Acts as."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        permissions = [("manage_api", "Can create and revoke API tokens and intranet webhooks")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)


class IntranetEvent(models.TextChoices):
    ITEM_FLAGGED = "item.flagged", "Item flagged"
    ACTION_CONFIRMED = "action.confirmed", "Action confirmed by the platform"
    SLA_BREACHED = "sla.breached", "Item past its due-by time"


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = EncryptedJSONField(blank=True, default="", help_text="Signing secret, encrypted.")
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed after the last attempt"


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=32, choices=IntranetEvent.choices)
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    dedupe_key = models.CharField(max_length=120, help_text="One delivery per endpoint and occurrence.")
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "dedupe_key"], name="webhook_delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} to endpoint {self.endpoint_id} ({self.status})"
