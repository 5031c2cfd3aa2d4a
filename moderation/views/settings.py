"""Lead settings pages in the app: policy rules, word lists, canned replies, office hours."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from moderation.errors import ModerationError
from moderation.services.settings_rows import setting_delete, setting_save
from moderation.settings_sections import SECTIONS, Section, row_cells

LEAD_PERMS = (
    "moderation.manage_policy",
    "moderation.manage_channels",
    "moderation.change_cannedreply",
    "moderation.change_officehours",
)


def _section(request: HttpRequest, key: str) -> Section:
    section = SECTIONS.get(key)
    if section is None:
        raise Http404(f"There is no settings page called {key}.")
    if not request.user.has_perm(section.perm):
        raise PermissionDenied(f"{section.title} can be changed by a Lead.")
    return section


@login_required
def settings_index(request: HttpRequest) -> HttpResponse:
    if not any(request.user.has_perm(p) for p in LEAD_PERMS):
        raise PermissionDenied("Settings are for Leads.")
    sections = [
        {"section": s, "count": s.model._default_manager.count()}
        for s in SECTIONS.values()
        if request.user.has_perm(s.perm)
    ]
    return render(
        request, "moderation/settings/index.html", {"sections": sections, "all_sections": SECTIONS.values()}
    )


@login_required
def settings_section(request: HttpRequest, key: str, row_id: int | None = None) -> HttpResponse:
    """The rows of one table, a form to add a row, or (with row_id) to change one."""
    section = _section(request, key)
    manager: Any = section.model._default_manager
    row = get_object_or_404(section.model, pk=row_id) if row_id else None
    form: Any = section.form_class()(request.POST or None, instance=row)
    if section.fixed_rows and row is None:
        form = None  # nothing to add here: pick a row to change
        if request.method == "POST":
            raise PermissionDenied(f"{section.title}: rows cannot be added here; change one instead.")
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            saved = setting_save(actor=request.user, form=form, perm=section.perm)  # type: ignore[arg-type]
        except ModerationError as exc:
            messages.error(request, f"{exc.message} {exc.hint}")
        except IntegrityError:
            messages.error(
                request, "That would duplicate a row that already exists; change that one instead."
            )
        else:
            messages.success(request, f"Saved “{saved}”.")
            return redirect("moderation:settings-section", key=key)
    elif request.method == "POST":
        messages.error(request, "Nothing saved: check the highlighted fields.")
    rows = [{"row": r, "cells": row_cells(section, r)} for r in manager.all()[:500]]
    return render(
        request,
        "moderation/settings/section.html",
        {
            "section": section,
            "headers": [getattr(section.model._meta.get_field(f), "verbose_name", f) for f in section.shown],
            "rows": rows,
            "form": form,
            "editing": row,
            "all_sections": [s for s in SECTIONS.values() if request.user.has_perm(s.perm)],
        },
    )


@require_POST
@login_required
def settings_delete(request: HttpRequest, key: str, row_id: int) -> HttpResponse:
    section = _section(request, key)
    row = get_object_or_404(section.model, pk=row_id)
    if section.fixed_rows:
        raise PermissionDenied(f"{section.title}: rows cannot be deleted here.")
    try:
        setting_delete(actor=request.user, row=row, perm=section.perm)  # type: ignore[arg-type]
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
    else:
        messages.warning(request, f"Deleted “{row}”.")
    return redirect("moderation:settings-section", key=key)
