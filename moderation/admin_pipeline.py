"""Admin for what the pipeline does on its own (issue 12): automatic hides and escalation.

Leads (moderation.manage_policy) edit these; the rules take effect on the next classified item.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from moderation.models import AutoActionRule, EscalationSettings


class _LeadsEdit:
    """Leads edit with manage_policy, like the other policy settings (no per-model permissions)."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("moderation.manage_policy")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("moderation.manage_policy")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("moderation.manage_policy")


@admin.register(AutoActionRule)
class AutoActionRuleAdmin(_LeadsEdit, admin.ModelAdmin[AutoActionRule]):
    list_display = ("category", "enabled", "min_score", "updated_at")
    list_editable = ("enabled", "min_score")
    readonly_fields = ("category",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row per category, made by the migration

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a rule off instead, so the audit trail keeps its name


@admin.register(EscalationSettings)
class EscalationSettingsAdmin(_LeadsEdit, admin.ModelAdmin[EscalationSettings]):
    list_display = ("__str__", "hide_high_risk_out_of_hours", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not EscalationSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
