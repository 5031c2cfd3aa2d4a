"""Settings > Webhooks: Leads register the intranet's webhook URLs, follow deliveries, retry failed ones.

The same services as the API's /api/v1/webhooks/ (services/intranet_webhooks.py), so the
page and the API apply one rule: only hosts in API_WEBHOOK_ALLOWED_HOSTS, secrets shown once.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from moderation.api import selectors
from moderation.errors import ModerationError
from moderation.models import DeliveryStatus, IntranetEvent, WebhookDelivery, WebhookEndpoint
from moderation.services.intranet_webhooks import (
    webhook_delivery_retry,
    webhook_endpoint_create,
    webhook_endpoint_delete,
)
from moderation.views.shown_once import create_shown_once


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="e.g. https://intranet.havebury.example/hooks",
    )
    events = forms.MultipleChoiceField(
        choices=IntranetEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[IntranetEvent.ITEM_FLAGGED],
    )
    description = forms.CharField(max_length=200, required=False, help_text="Optional: what receives it.")


def _filters(params: QueryDict) -> tuple[int | None, str]:
    """The deliveries filter (?endpoint=&status=); anything else is ignored."""
    raw = params.get("endpoint", "")
    endpoint = int(raw) if raw.isdigit() and len(raw) < 19 else None
    status = params.get("status", "")
    return endpoint, status if status in DeliveryStatus.values else ""


@login_required
@permission_required("moderation.manage_api", raise_exception=True)
def webhook_list(request: HttpRequest) -> HttpResponse:
    form, created, answer = create_shown_once(
        request, EndpointForm(request.POST or None), webhook_endpoint_create
    )
    endpoint_id, status = _filters(request.GET)
    overview = selectors.webhooks_overview(endpoint_id=endpoint_id, status=status)
    labels = dict(IntranetEvent.choices)
    for endpoint in overview["endpoints"]:
        endpoint.event_labels = [labels.get(e, e) for e in endpoint.events]
    return render(
        request,
        "moderation/settings/webhooks.html",
        {
            "form": form,
            "created": created[0] if created else None,
            "secret": created[1] if created else "",
            "endpoints": overview["endpoints"],
            "deliveries": overview["deliveries"],
            "allowed_hosts": settings.API_WEBHOOK_ALLOWED_HOSTS,
            "statuses": DeliveryStatus.choices,
            "endpoint_filter": endpoint_id,
            "status_filter": status,
        },
        status=answer,
    )


@require_POST
@login_required
@permission_required("moderation.manage_api", raise_exception=True)
def webhook_remove(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    try:
        webhook_endpoint_delete(endpoint_id=endpoint_id, actor=request.user)  # type: ignore[arg-type]
    except WebhookEndpoint.DoesNotExist:
        messages.error(request, f"There is no webhook {endpoint_id}.")
    else:
        messages.success(request, "Webhook removed: nothing more is sent to it. Its deliveries stay listed.")
    return redirect("moderation:webhooks")


@require_POST
@login_required
@permission_required("moderation.manage_api", raise_exception=True)
def webhook_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        delivery = webhook_delivery_retry(delivery_id=delivery_id, actor=request.user)  # type: ignore[arg-type]
    except WebhookDelivery.DoesNotExist:
        messages.error(request, f"There is no delivery {delivery_id}.")
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
    else:
        messages.success(request, f"Sending the {delivery.event} delivery again; its status updates here.")
    endpoint_id, status = _filters(request.POST)  # back to the same filtered list
    kept = {k: v for k, v in (("endpoint", endpoint_id), ("status", status)) if v}
    return redirect(reverse("moderation:webhooks") + (f"?{urlencode(kept)}" if kept else ""))
