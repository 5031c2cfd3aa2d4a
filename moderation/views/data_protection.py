"""Lead page for UK GDPR: the retention period, subject-access export (docs/data-protection.md)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from moderation.errors import ModerationError
from moderation.models import LegalHold, Platform
from moderation.services.data_protection import author_export, retention_get, retention_set


class RetentionForm(forms.Form):
    months = forms.IntegerField(min_value=1, max_value=120, label="Keep personal content for (months)")


class ExportForm(forms.Form):
    platform = forms.ChoiceField(choices=Platform.choices)
    platform_user_id = forms.CharField(max_length=200, label="Platform user id")


@login_required
@permission_required("moderation.manage_policy", raise_exception=True)
def data_protection(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/data_protection.html",
        {
            "retention": retention_get(),
            "retention_form": RetentionForm(initial={"months": retention_get().months}),
            "export_form": ExportForm(),
            "holds": LegalHold.objects.filter(lifted_at__isnull=True).select_related("author"),
        },
    )


@require_POST
@login_required
@permission_required("moderation.manage_policy", raise_exception=True)
def data_retention_set(request: HttpRequest) -> HttpResponse:
    form = RetentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Retention must be a whole number of months from 1 to 120.")
        return redirect("moderation:data-protection")
    retention_set(months=form.cleaned_data["months"], actor=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Personal content is now kept for {form.cleaned_data['months']} months.")
    return redirect("moderation:data-protection")


@login_required
@permission_required("moderation.manage_policy", raise_exception=True)
def author_export_view(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Choose a platform and give the author's platform user id.")
        return redirect("moderation:data-protection")
    try:
        data = author_export(
            platform=form.cleaned_data["platform"], platform_user_id=form.cleaned_data["platform_user_id"]
        )
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
        return redirect("moderation:data-protection")
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    name = f"author-{form.cleaned_data['platform']}-{form.cleaned_data['platform_user_id']}.json"
    response["Content-Disposition"] = (
        f'attachment; filename="{"".join(c for c in name if c.isalnum() or c in "-_.")}"'
    )
    response["Cache-Control"] = "no-store"
    return response
