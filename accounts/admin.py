from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Role", {"fields": ("job_title",)}))
    list_display = ("username", "get_full_name", "job_title", "email", "is_active")
