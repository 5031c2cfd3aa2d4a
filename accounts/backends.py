"""Login throttling backend (django-axes) that tolerates sign-ins without a request."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses a locked-out username before any password is checked.

    Every sign-in form passes the request. Code that authenticates without one (the test
    client's login(), a shell) is not a guessing surface, so it is let through to the
    password check instead of raising, as django-axes would.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


class RolePermissionsBackend(ModelBackend):
    """Django's ModelBackend, reading a person's own and their groups' permissions in ONE query.

    ModelBackend makes two queries (own, then groups) at a request's first permission check;
    every dashboard page and API request makes that check, so this saves a database round
    trip on each (docs/benchmarks.md). Same answers: inactive and anonymous users have none,
    a superuser has all.
    """

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                # Two id subqueries, not an OR across two joins: that form made PostgreSQL join every
                # group membership (2 ms a request with a few hundred users); this one is 0.1 ms.
                user_model = type(user_obj)
                own = user_model.user_permissions.through.objects.filter(user_id=user_obj.pk)
                groups = user_model.groups.through.objects.filter(user_id=user_obj.pk).values("group_id")
                via_groups = Group.permissions.through.objects.filter(group_id__in=groups)
                perms = perms.filter(
                    Q(pk__in=own.values("permission_id")) | Q(pk__in=via_groups.values("permission_id"))
                )
            rows = perms.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        cached: set[str] = user_obj._perm_cache
        return cached
