from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from moderation.fields import EncryptedJSONField
from moderation.models.base import Platform, TimeStamped


class ChannelHealth(models.TextChoices):
    UNKNOWN = "unknown", "Not polled yet"
    OK = "ok", "Healthy"
    DEGRADED = "degraded", "Errors, retrying"
    RATE_LIMITED = "rate_limited", "Rate limited"
    NEEDS_RECONNECT = "needs_reconnect", "Needs re-connection"


class Channel(TimeStamped):
    """One social account of the organisation (e.g. X @Havebury)."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=120, help_text="As shown to the public, e.g. @Havebury.")
    display_name = models.CharField(max_length=200)
    account_id = models.CharField(
        max_length=200, blank=True, help_text="The platform's own id for the account; set on connect."
    )
    enabled = models.BooleanField(default=True)
    # Leads set the three intervals in Settings > Poll intervals; moderation/poll_intervals.py
    # chooses between them (and backs off after failures, slows down on low headroom).
    poll_interval = models.PositiveIntegerField(
        "normal interval (s)",
        default=300,
        validators=[MinValueValidator(30)],
        help_text="Seconds between polls in office hours.",
    )
    busy_poll_interval = models.PositiveIntegerField(
        "busy interval (s)",
        default=60,
        validators=[MinValueValidator(30)],
        help_text="Seconds between polls while a thread is busy (5 or more new comments in 15 minutes), "
        "at any hour.",
    )
    night_poll_interval = models.PositiveIntegerField(
        "night interval (s)",
        default=900,
        validators=[MinValueValidator(30)],
        help_text="Seconds between polls outside office hours.",
    )
    poll_failures = models.PositiveIntegerField(
        default=0, help_text="Polls failed in a row since the last success; sets the back-off."
    )
    cursor = models.JSONField(default=dict, blank=True, help_text="Adapter's since-markers; opaque.")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    recent_failures = models.JSONField(
        default=list,
        blank=True,
        help_text="Parts of recent polls that failed and were passed over, newest first: "
        "time, part (comments or mentions), platform id, error class, message.",
    )
    health = models.CharField(max_length=20, choices=ChannelHealth.choices, default=ChannelHealth.UNKNOWN)
    rate_limited_until = models.DateTimeField(null=True, blank=True)
    rate_limit_state = models.JSONField(default=dict, blank=True, help_text="Last usage headers seen.")
    credentials = EncryptedJSONField(blank=True, default="", help_text="Encrypted tokens; never shown.")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("platform", "handle")
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="channel_unique_handle"),
            models.UniqueConstraint(
                fields=["platform", "account_id"],
                condition=~Q(account_id=""),
                name="channel_unique_account",
            ),
            models.CheckConstraint(condition=Q(platform__in=Platform.values), name="channel_platform_valid"),
            models.CheckConstraint(condition=Q(poll_interval__gte=30), name="channel_poll_interval_min"),
            models.CheckConstraint(
                condition=Q(busy_poll_interval__gte=30) & Q(night_poll_interval__gte=30),
                name="channel_poll_intervals_min",
            ),
        ]
        permissions = [("manage_channels", "Can connect, disconnect and configure channels")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle}"

    @property
    def is_connected(self) -> bool:
        return bool(self.credentials)


class Backfill(TimeStamped):
    """One `manage.py backfill` of a channel's history, and its checkpoint (issue 12).

    The cursor is saved with every stored page, so a backfill stopped by Ctrl-C, a crash or a
    platform outage resumes from the next page. At most one unfinished backfill per channel.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="backfills")
    days = models.PositiveSmallIntegerField()
    since = models.DateTimeField(help_text="Read what was posted from this moment on.")
    cursor = models.JSONField(
        default=dict, blank=True, help_text="Adapter's cursor after the last stored page."
    )
    pages = models.PositiveIntegerField(default=0)
    items_seen = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    api_calls = models.PositiveIntegerField(default=0)
    waited_seconds = models.FloatField(default=0.0, help_text="Time spent waiting on rate limits.")
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(finished_at__isnull=True),
                name="backfill_one_open_per_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"Backfill of {self.channel} since {self.since:%Y-%m-%d}"
