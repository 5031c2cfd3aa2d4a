"""Writes from the Lead settings pages: save or delete one configuration row, audited.

The policy rows' cache version is bumped by their own signals (services/policy_config), so
workers pick up a word-list change on their next item without a restart.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models, transaction

from accounts.models import User
from moderation.errors import NotPermitted
from moderation.services.audit import audit_record


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise NotPermitted("Only a Lead can change these settings.", hint=f"This needs {perm}.")


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, str | int | float | bool | list | type(None)) else str(v)
        for k, v in data.items()
    }


def setting_save(*, actor: User, form: forms.ModelForm[Any], perm: str) -> models.Model:
    """Save a validated form's row and audit what changed."""
    _require(actor, perm)
    instance = form.instance
    adding = instance.pk is None
    before = {name: str(getattr(instance, name, "")) for name in form.changed_data} if not adding else {}
    with transaction.atomic():
        row: models.Model = form.save()
        audit_record(
            actor=actor,
            verb="settings.added" if adding else "settings.changed",
            target=row,
            before=before,
            after=_plain({name: form.cleaned_data.get(name) for name in form.changed_data}),
        )
    return row


def setting_delete(*, actor: User, row: models.Model, perm: str) -> None:
    _require(actor, perm)
    with transaction.atomic():
        audit_record(actor=actor, verb="settings.deleted", target=row, before={"row": str(row)})
        row.delete()
