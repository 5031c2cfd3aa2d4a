"""The only writer of AuditEvent rows besides transition() (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.db import models

from accounts.models import User
from moderation.models import AuditEvent, Item


def audit_record(
    *,
    actor: User | None,
    verb: str,
    target: models.Model,
    item: Item | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    clause: str = "",
    policy_version: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call inside the same transaction as the change it records."""
    if item is None and isinstance(target, Item):
        item = target
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        item=item,
        before=before or {},
        after=after or {},
        clause=clause,
        policy_version=policy_version,
        detail=detail or {},
    )
