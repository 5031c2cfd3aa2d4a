"""GP014 policy configuration as data: Leads edit these in the admin; the engine reads a cached
PolicyConfig built from the shipped defaults plus these rows (moderation.services.policy_config)."""

from django.db import models

from moderation.models.base import TimeStamped
from moderation.policy.config import TERM_LISTS

TERM_LIST_CHOICES = [(name, name.replace("_", " ")) for name in TERM_LISTS]
ACTION_CHOICES = [
    ("none", "None"),
    ("review", "Review"),
    ("respond_offline", "Respond offline"),
    ("hide", "Hide"),
    ("hide_and_block", "Hide and block"),
]


class PolicyTerm(TimeStamped):
    """A word or phrase added to (or, with exclude, removed from) one shipped word list."""

    list_name = models.CharField(max_length=32, choices=TERM_LIST_CHOICES)
    term = models.CharField(max_length=120, help_text='Whole words; end with "*" to allow any ending.')
    exclude = models.BooleanField(default=False, help_text="Remove this term from the shipped list instead.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("list_name", "term")
        constraints = [models.UniqueConstraint(fields=["list_name", "term"], name="policy_term_unique")]

    def __str__(self) -> str:
        return f"{'-' if self.exclude else '+'}{self.term} ({self.list_name})"


class ProtectedPerson(TimeStamped):
    """Someone GP014 2.3 protects from public criticism: staff, board directors, panel members."""

    name = models.CharField(max_length=120, unique=True)
    role = models.CharField(max_length=120, blank=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text='e.g. ["Lauren"]; matched when capitalised.'
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "protected people"

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class AllowlistedDomain(TimeStamped):
    """Links to this domain and its subdomains are never flagged (our own sites, gov.uk)."""

    domain = models.CharField(max_length=200, unique=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("domain",)

    def __str__(self) -> str:
        return self.domain


class PolicyThreshold(TimeStamped):
    """Overrides one shipped threshold (flag_min, auto_hide, model_flag, model_hate_group)."""

    key = models.CharField(max_length=40, unique=True)
    value = models.FloatField()

    class Meta:
        ordering = ("key",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0) & models.Q(value__lte=1), name="policy_threshold_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class CategoryAction(TimeStamped):
    """Overrides the recommended action for one category or route."""

    category = models.CharField(max_length=32, unique=True)
    action = models.CharField(max_length=16, choices=ACTION_CHOICES)

    class Meta:
        ordering = ("category",)

    def __str__(self) -> str:
        return f"{self.category} -> {self.action}"
