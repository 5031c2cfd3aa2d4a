"""UK GDPR: how long personal content is kept, and authors whose data must be kept (legal hold)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

DEFAULT_RETENTION_MONTHS = 13


class DataRetention(models.Model):
    """One row: the retention period a Lead sets (docs/data-protection.md)."""

    months = models.PositiveSmallIntegerField(
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Raw payloads and resolved items older than this are anonymised.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name_plural = "data retention"

    def __str__(self) -> str:
        return f"Keep personal content {self.months} months"


class LegalHold(models.Model):
    """Keeps everything about one author out of retention and erasure until lifted."""

    author = models.ForeignKey("moderation.Author", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["author", "lifted_at"], name="legal_hold_author_idx")]

    def __str__(self) -> str:
        return f"Legal hold on author {self.author_id}"
