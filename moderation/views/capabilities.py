"""The capability matrix: what each platform lets officers do, and the limits that apply now."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from moderation.capability_matrix import capability_matrix


@login_required
@permission_required("moderation.view_channel", raise_exception=True)
def channel_capabilities(request: HttpRequest) -> HttpResponse:
    rows = capability_matrix()
    actions = list(rows[0].cells) if rows else []
    return render(request, "moderation/channels/capabilities.html", {"rows": rows, "actions": actions})
