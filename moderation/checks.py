"""Deploy checks (docs/architecture.md): run by `manage.py check --deploy` at container start."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def embedded_defaults_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if not settings.SECRET_KEY_FROM_ENV:
        errors.append(
            Error(
                "SECRET_KEY was generated into the data folder, not set from the environment.",
                hint="Set DJANGO_SECRET_KEY to a long random value kept in your secret store.",
                id="moderation.E001",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        errors.append(
            Error(
                "The database is the embedded SQLite file.",
                hint="Set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME.",
                id="moderation.E002",
            )
        )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        errors.append(
            Error(
                "Celery uses the embedded filesystem broker, which only works on one machine.",
                hint="Set REDIS_URL=redis://HOST:6379/0 (or CELERY_BROKER_URL).",
                id="moderation.E003",
            )
        )
    if not settings.FIELD_ENCRYPTION_KEYS_FROM_ENV:
        errors.append(
            Error(
                "Channel credentials are encrypted with a key derived from SECRET_KEY.",
                hint="Set FIELD_ENCRYPTION_KEYS to a Fernet key (see docs/operations.md for rotation).",
                id="moderation.E004",
            )
        )
    return errors


@register()
def channel_registry_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every MODERATION_CHANNELS entry imports and fits the platform seam (channels/base.py)."""
    from moderation.channels import registry
    from moderation.models import Platform

    return [
        Error(
            problem,
            hint="Fix the entry in MODERATION_CHANNELS (docs/architecture.md, 'How to add a network').",
            id="moderation.E010",
        )
        for problem in registry.validate(
            settings.MODERATION_CHANNELS, known_platforms=frozenset(Platform.values)
        )
    ]
