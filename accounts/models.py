from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A comms officer, lead, viewer or admin. Roles are Groups (accounts.roles)."""

    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ("last_name", "first_name", "username")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_names(self) -> list[str]:
        return sorted(g.name for g in self.groups.all())
