from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from moderation.models.base import Platform, TimeStamped


class Author(TimeStamped):
    """Someone who posted on one platform; unique per (platform, platform user id)."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    platform_user_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, help_text="Officer notes; visible to comms staff only.")
    item_count = models.PositiveIntegerField(default=0)
    upheld_flag_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("platform", "handle")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "platform_user_id"], name="author_unique_per_platform"
            ),
        ]

    def __str__(self) -> str:
        return self.handle or self.display_name or self.platform_user_id


class RestrictionKind(models.TextChoices):
    BLOCK = "block", "Blocked"
    BAN = "ban", "Banned"
    MUTE = "mute", "Muted"


class AuthorRestriction(models.Model):
    """An author blocked, banned or muted on one channel; lifted_at ends it."""

    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="restrictions")
    channel = models.ForeignKey("moderation.Channel", on_delete=models.PROTECT, related_name="restrictions")
    kind = models.CharField(max_length=8, choices=RestrictionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "channel", "kind"],
                condition=Q(lifted_at__isnull=True),
                name="restriction_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.author_id} on channel {self.channel_id}"


class ItemKind(models.TextChoices):
    POST = "post", "Post"
    COMMENT = "comment", "Comment"
    REPLY = "reply", "Reply"
    MENTION = "mention", "Mention"
    DIRECT_MESSAGE = "dm", "Direct message"


class Visibility(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden"
    DELETED = "deleted", "Deleted"


class ItemState(models.TextChoices):
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    ESCALATED = "escalated", "Escalated"
    RESOLVED = "resolved", "Resolved"


OPEN_STATES = (ItemState.NEW, ItemState.IN_REVIEW, ItemState.ESCALATED)


class Outcome(models.TextChoices):
    REPLIED = "replied", "Replied"
    HIDDEN = "hidden", "Hidden"
    DELETED = "deleted", "Deleted"
    BLOCKED = "blocked", "Author blocked"
    REPORTED = "reported", "Reported"
    DISMISSED = "dismissed", "Dismissed (no breach)"
    SIGNPOSTED = "signposted", "Signposted to direct contact"
    AUTO_CLEARED = "auto_cleared", "Cleared by policy check"


class Priority(models.IntegerChoices):
    LOW = 0, "Low"
    NORMAL = 1, "Normal"
    HIGH = 2, "High"
    URGENT = 3, "Urgent"


# The queue's working order, most urgent then oldest, as three ascending keys: a keyset cursor on
# it is then one row-value comparison, "(-priority, received_at, id) > (...)", that the partial
# index item_open_queue_idx serves as a range. "priority DESC" cannot be part of such a
# comparison (mixed directions); the OR it needed made deep pages walk every earlier row.
QUEUE_ORDER = (F("priority") * -1, "received_at", "id")


class Item(TimeStamped):
    """A post, comment, reply, mention or DM, and its place in the moderation queue."""

    channel = models.ForeignKey("moderation.Channel", on_delete=models.PROTECT, related_name="items")
    platform_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=ItemKind.choices, default=ItemKind.COMMENT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    thread_root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="thread_items"
    )
    # No single-column index: item_author_idx (author, -received_at) serves author lookups.
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.PROTECT, related_name="items", db_index=False
    )
    text = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True)
    media_urls = models.JSONField(default=list, blank=True)
    permalink = models.URLField(max_length=500, blank=True)
    created_on_platform = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(default=timezone.now)  # first ingestion; never changes
    edited_on_platform_at = models.DateTimeField(null=True, blank=True)
    deleted_on_platform_at = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE)
    raw = models.JSONField(default=dict, blank=True, help_text="The platform's payload as received.")

    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.NEW)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    due_by = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_items",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    route = models.CharField(max_length=16, blank=True, help_text="GP014 2.4 signposting route.")
    recommended_action = models.CharField(max_length=16, blank=True)
    classified_at = models.DateTimeField(null=True, blank=True)
    policy_version = models.CharField(max_length=32, blank=True)
    # Failed classification attempts; at the cap the item is marked for human review (services/failures.py).
    classify_attempts = models.PositiveSmallIntegerField(default=0)
    classify_error = models.TextField(blank=True)

    class Meta:
        ordering = ("-priority", "received_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["channel", "platform_id"], name="item_unique_per_channel"),
            models.CheckConstraint(condition=Q(state__in=ItemState.values), name="item_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="item_visibility_valid"
            ),
            models.CheckConstraint(condition=Q(priority__lte=3), name="item_priority_range"),
            models.CheckConstraint(
                condition=Q(state=ItemState.IN_REVIEW, claimed_by__isnull=False)
                | ~Q(state=ItemState.IN_REVIEW),
                name="item_in_review_has_claimant",
            ),
            models.CheckConstraint(
                condition=Q(state=ItemState.RESOLVED, outcome__gt="") | ~Q(state=ItemState.RESOLVED),
                name="item_resolved_has_outcome",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="item_not_own_parent"),
        ]
        indexes = [
            # The open queue in QUEUE_ORDER ("priority, then oldest first") over a million rows,
            # and its keyset pages as one range.
            models.Index(
                *QUEUE_ORDER,
                name="item_open_queue_idx",
                condition=Q(state__in=["new", "in_review", "escalated"]),
            ),
            # The same order for the queue filtered to resolved items (state=resolved): without it
            # each page sorted the ~950,000 resolved rows of a million (380 ms).
            models.Index(*QUEUE_ORDER, name="item_resolved_queue_idx", condition=Q(state="resolved")),
            models.Index(fields=["author", "-received_at"], name="item_author_idx"),
            models.Index(fields=["state", "-resolved_at"], name="item_state_resolved_idx"),
            models.Index(fields=["thread_root"], name="item_thread_idx"),
            # The API lists items newest first with a cursor on (received_at, id) (moderation/api).
            models.Index(fields=["received_at", "id"], name="item_received_idx"),
        ]
        permissions = [
            ("work_queue", "Can claim items and work the queue"),
            ("reply_item", "Can reply on the platform"),
            ("hide_item", "Can hide and unhide on the platform"),
            ("remove_item", "Can delete on the platform"),
            ("block_author", "Can block or ban authors"),
            ("report_item", "Can report items to the platform"),
            ("escalate_item", "Can escalate items"),
            ("manage_policy", "Can edit policy rules and thresholds"),
            ("view_reports", "Can see reports"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.platform_id} on {self.channel_id}"


class Flag(models.Model):
    """Why the policy engine flagged an item: the GP014 clause and the evidence."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="flags")
    category = models.CharField(max_length=32)
    subtype = models.CharField(
        max_length=32,
        blank=True,
        default="",
        help_text='e.g. "threat" (urgent), "named_person" (defamation), "health_hazard" (Awaab\'s Law repair).',
    )
    clause = models.CharField(max_length=16, help_text='e.g. "2.3" or "2.4".')
    evidence = models.TextField(blank=True)
    evidence_start = models.PositiveIntegerField(null=True, blank=True)
    evidence_end = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField()
    source = models.CharField(max_length=120, help_text="Rule id, or model name and version.")
    explanation = models.TextField()
    note = models.TextField(blank=True, default="", help_text="The staff-safety or Awaab's Law note, if any.")
    policy_version = models.CharField(max_length=32)
    upheld = models.BooleanField(null=True, blank=True, help_text="Officer's verdict; empty until decided.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-score", "id")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="flag_score_range"),
            models.CheckConstraint(
                condition=Q(evidence_start__isnull=True)
                | Q(evidence_end__isnull=True)
                | Q(evidence_start__lte=F("evidence_end")),
                name="flag_evidence_span_ordered",
            ),
        ]
        indexes = [models.Index(fields=["category", "-created_at"], name="flag_category_idx")]

    def __str__(self) -> str:
        return f"{self.category} (GP014 {self.clause})"
