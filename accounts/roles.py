"""Roles as Groups with permissions (docs/security.md, Authorisation: roles are Groups + Meta.permissions).

OFFICER works the queue and acts; LEAD also edits rules, channels, canned replies
and office hours and sees reports; VIEWER reads only; ADMIN has every permission.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

OFFICER = "Officer"
LEAD = "Lead"
VIEWER = "Viewer"
ADMIN = "Admin"
ROLES = (OFFICER, LEAD, VIEWER, ADMIN)

_VIEW_ONLY = [
    "moderation.view_item",
    "moderation.view_flag",
    "moderation.view_author",
    "moderation.view_channel",
    "moderation.view_action",
    "moderation.view_auditevent",
    "moderation.view_cannedreply",
    "moderation.view_officehours",
]
_OFFICER = [
    *_VIEW_ONLY,
    "moderation.work_queue",
    "moderation.reply_item",
    "moderation.hide_item",
    "moderation.remove_item",
    "moderation.block_author",
    "moderation.report_item",
    "moderation.escalate_item",
    "moderation.change_author",
]
_LEAD = [
    *_OFFICER,
    "moderation.manage_policy",
    "moderation.manage_channels",
    "moderation.view_reports",
    "moderation.add_cannedreply",
    "moderation.change_cannedreply",
    "moderation.delete_cannedreply",
    "moderation.change_officehours",
    "moderation.change_channel",
    # The policy rule pages (in the app and the admin) check these per-model permissions;
    # without them a Lead with manage_policy got 403 (issue 8).
    *[
        f"moderation.{verb}_{model}"
        for model in (
            "policyterm",
            "protectedperson",
            "allowlisteddomain",
            "policythreshold",
            "categoryaction",
            "autoactionrule",
        )
        for verb in ("view", "add", "change", "delete")
    ],
    "moderation.view_escalationsettings",
    "moderation.change_escalationsettings",
    "moderation.add_officehours",
    "moderation.manage_api",  # API tokens and intranet webhooks (issue 9)
]

ROLE_PERMISSIONS: dict[str, list[str]] = {VIEWER: _VIEW_ONLY, OFFICER: _OFFICER, LEAD: _LEAD}


def _permissions(codes: list[str]) -> list[Permission]:
    found: list[Permission] = []
    for code in codes:
        app_label, codename = code.split(".", 1)
        found.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    return found


def roles_sync() -> dict[str, Group]:
    """Create or update the role groups; safe to run any number of times."""
    groups = {}
    with transaction.atomic():
        for role in ROLES:
            group, _ = Group.objects.get_or_create(name=role)
            if role == ADMIN:
                group.permissions.set(Permission.objects.all())
            else:
                group.permissions.set(_permissions(ROLE_PERMISSIONS[role]))
            groups[role] = group
    return groups


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "name", "") == "moderation":
        roles_sync()
