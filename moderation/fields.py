"""Encrypted-at-rest model field for channel credentials.

Values are JSON dicts encrypted with MultiFernet over settings.FIELD_ENCRYPTION_KEYS:
the first key encrypts, every key decrypts, so keys rotate without downtime
(docs/operations.md, `manage.py rotate_credentials_key`).
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS to at least one Fernet key.")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


class EncryptedJSONField(models.TextField):  # type: ignore[type-arg]
    """Stores a dict as a Fernet token; reads it back as a dict ({} when empty)."""

    description = "JSON encrypted with Fernet"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> dict[str, Any]:
        if not value:
            return {}
        try:
            return dict(json.loads(fernet().decrypt(value.encode())))
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "Stored channel credentials cannot be decrypted with FIELD_ENCRYPTION_KEYS. "
                "Put the old key back in the list (after the new one) and run rotate_credentials_key."
            ) from exc

    def to_python(self, value: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        return self.from_db_value(value, None, None)

    def get_prep_value(self, value: Any) -> str:
        if not value:
            return ""
        return fernet().encrypt(json.dumps(value, sort_keys=True).encode()).decode()
