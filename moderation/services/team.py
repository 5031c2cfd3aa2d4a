"""The team: invite an officer, set a role, deactivate someone who has left. Leads only, audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.roles import ROLES, roles_sync
from moderation.errors import ActionNotAvailable, NotPermitted
from moderation.services.audit import audit_record

TEAM_PERM = "moderation.manage_policy"


def _require(actor: User) -> None:
    if not actor.has_perm(TEAM_PERM):
        raise NotPermitted("Only a Lead can change the team.", hint="Ask Lauren Eden or another Lead.")


def _role(role: str) -> str:
    if role not in ROLES:
        raise ActionNotAvailable(f"'{role}' is not a role.", hint=f"Use one of {', '.join(ROLES)}.")
    return role


def user_invite(
    *, actor: User, username: str, first_name: str, last_name: str, email: str, role: str
) -> User:
    """Create the account with no password; the caller emails a set-password link."""
    _require(actor)
    _role(role)
    if not username or not email:
        raise ActionNotAvailable("An invitation needs a username and an email address.", hint="Fill in both.")
    try:
        with transaction.atomic():
            user = User(username=username, first_name=first_name, last_name=last_name, email=email)
            user.set_unusable_password()
            user.save()
            user.groups.set([roles_sync()[role]])
            audit_record(
                actor=actor, verb="team.invited", target=user, after={"username": username, "role": role}
            )
    except IntegrityError:
        raise ActionNotAvailable(
            f"There is already an account called {username}.", hint="Choose another username."
        ) from None
    return user


def user_set_role(*, actor: User, user_id: int, role: str) -> User:
    _require(actor)
    _role(role)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        before = user.role_names
        user.groups.set([roles_sync()[role]])
        audit_record(
            actor=actor, verb="team.role_set", target=user, before={"roles": before}, after={"roles": [role]}
        )
    return user


def user_set_active(*, actor: User, user_id: int, active: bool) -> User:
    _require(actor)
    if user_id == actor.pk and not active:
        raise ActionNotAvailable("You cannot deactivate yourself.", hint="Ask another Lead.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            verb="team.activated" if active else "team.deactivated",
            target=user,
            after={"active": active},
        )
    return user
