"""RolePermissionsBackend: ModelBackend's answers in one query instead of two."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from accounts.backends import RolePermissionsBackend
from accounts.models import User
from tests.factories import UserFactory, lead, officer, viewer


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no permission cache carried over


@pytest.mark.parametrize("make", [viewer, officer, lead])
def test_same_permissions_as_model_backend_for_each_role(db, make):
    user = make(username="someone")
    user.user_permissions.add(Permission.objects.get(codename="view_user"))  # one of their own too
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert "accounts.view_user" in expected
    assert RolePermissionsBackend().get_all_permissions(_fresh(user)) == expected


def test_one_query_then_cached(db, django_assert_num_queries):
    user = _fresh(lead(username="lauren"))
    with django_assert_num_queries(1):
        assert user.has_perm("moderation.manage_policy")
        assert user.has_perm("moderation.work_queue")
        assert not user.has_perm("moderation.no_such_permission")


def test_inactive_anonymous_and_superuser(db):
    from django.contrib.auth.models import AnonymousUser

    gone = officer(username="gone")
    gone.is_active = False
    gone.save()
    assert RolePermissionsBackend().get_all_permissions(_fresh(gone)) == set()
    assert RolePermissionsBackend().get_all_permissions(AnonymousUser()) == set()
    root = UserFactory(username="root", is_superuser=True)
    assert RolePermissionsBackend().get_all_permissions(_fresh(root)) == ModelBackend().get_all_permissions(
        _fresh(root)
    )
