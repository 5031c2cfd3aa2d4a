"""Admin for the GP014 policy configuration (Leads with moderation.manage_policy).

Saving or deleting a row bumps the policy config version (moderation.services.policy_config),
so every worker picks up the change on its next item without a restart.
"""

from __future__ import annotations

from django.contrib import admin

import moderation.services.policy_config  # noqa: F401  (connects the cache-version signals)
from moderation.models import AllowlistedDomain, CategoryAction, PolicyTerm, PolicyThreshold, ProtectedPerson


@admin.register(PolicyTerm)
class PolicyTermAdmin(admin.ModelAdmin[PolicyTerm]):
    list_display = ("term", "list_name", "exclude", "note", "updated_at")
    list_filter = ("list_name", "exclude")
    search_fields = ("term", "note")


@admin.register(ProtectedPerson)
class ProtectedPersonAdmin(admin.ModelAdmin[ProtectedPerson]):
    list_display = ("name", "role", "active", "updated_at")
    list_filter = ("active",)
    search_fields = ("name", "role")


@admin.register(AllowlistedDomain)
class AllowlistedDomainAdmin(admin.ModelAdmin[AllowlistedDomain]):
    list_display = ("domain", "note", "updated_at")
    search_fields = ("domain",)


@admin.register(PolicyThreshold)
class PolicyThresholdAdmin(admin.ModelAdmin[PolicyThreshold]):
    list_display = ("key", "value", "updated_at")


@admin.register(CategoryAction)
class CategoryActionAdmin(admin.ModelAdmin[CategoryAction]):
    list_display = ("category", "action", "updated_at")
    list_filter = ("action",)
