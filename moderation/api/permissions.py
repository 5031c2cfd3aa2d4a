"""Who may call what: the dashboard's roles (accounts/roles.py) plus, for tokens, their scopes.

A view names the scope a token needs (`api_scope`, default read for safe methods and
act for the rest) and the Django permission a person needs (`api_permission`). The
services check the fine-grained permission of each decision again, so the API and the
dashboard share one rule.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from moderation.models import ApiToken


def required_scope(request: Request, view: Any) -> str:
    per_action = getattr(view, "api_scopes", {})
    action = getattr(view, "action", None)
    if action in per_action:
        return str(per_action[action])
    default = getattr(view, "api_scope", None)
    if default:
        return str(default)
    return "read" if request.method in SAFE_METHODS else "act"


class RoleAndScope(BasePermission):
    message = "Your role or token scope does not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if isinstance(request.auth, ApiToken):
            scope = required_scope(request, view)
            if scope not in request.auth.scopes:
                self.message = f"This token lacks the '{scope}' scope."
                return False
        permission = getattr(view, "api_permission", "")
        per_action = getattr(view, "api_permissions", {})
        permission = per_action.get(getattr(view, "action", None), permission)
        if permission and not user.has_perm(permission):
            self.message = f"Your role does not include {permission}."
            return False
        return True
