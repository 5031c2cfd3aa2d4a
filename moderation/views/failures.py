"""The Lead's failures page: actions, classifications and webhook events that failed for good, with retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from moderation import selectors
from moderation.errors import ModerationError
from moderation.services.actions import action_retry
from moderation.services.failures import item_classify_retry
from moderation.services.ingest import webhook_retry

RETRY: dict[str, Callable[[int, Any], object]] = {
    "action": lambda pk, actor: action_retry(action_id=pk, actor=actor),
    "item": lambda pk, actor: item_classify_retry(item_id=pk, actor=actor),
    "webhook": lambda pk, actor: webhook_retry(event_id=pk, actor=actor),
}


@login_required
@permission_required("moderation.manage_channels", raise_exception=True)
def failure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/failures.html", selectors.failures_overview())


@require_POST
@login_required
@permission_required("moderation.manage_channels", raise_exception=True)
def failure_retry(request: HttpRequest) -> HttpResponse:
    kind, raw_id = request.POST.get("kind", ""), request.POST.get("id", "")
    if kind not in RETRY or not raw_id.isdigit():
        messages.error(request, "Nothing to retry: the form named no failed action, item or event.")
        return redirect("moderation:failures")
    try:
        RETRY[kind](int(raw_id), request.user)
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
    except LookupError:
        messages.error(request, f"That {kind} no longer exists.")
    else:
        messages.success(request, f"Retrying {kind} {raw_id}; it leaves this page once it succeeds.")
    return redirect("moderation:failures")
