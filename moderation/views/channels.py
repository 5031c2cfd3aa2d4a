"""Channel pages: list, detail with health alerts, OAuth connect/callback, disconnect."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_http_methods, require_POST

from moderation import selectors
from moderation.channels import registry
from moderation.channels.base import ChannelError
from moderation.errors import ModerationError
from moderation.models import Channel
from moderation.services.channels import (
    channel_disconnect,
    channel_oauth_complete,
    channel_oauth_start,
    channel_shares_login,
)

SESSION_KEY = "channel_oauth"


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("moderation:channel-oauth-callback"))


@login_required
@permission_required("moderation.view_channel", raise_exception=True)
def channel_list(request: HttpRequest) -> HttpResponse:
    channels = list(selectors.channel_list())
    schedules = selectors.channel_schedules(channels, now=timezone.now())
    for channel in channels:
        channel.schedule = schedules[channel.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "moderation/channels/list.html",
        {
            "channels": channels,
            "configured": registry.configured_platforms(settings.MODERATION_CHANNELS),
            "can_manage": request.user.has_perm("moderation.manage_channels"),
        },
    )


@login_required
@permission_required("moderation.view_channel", raise_exception=True)
def channel_detail(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    return render(
        request,
        "moderation/channels/detail.html",
        {
            "channel": channel,
            "schedule": selectors.channel_schedules([channel], now=timezone.now())[channel.pk],
            "capabilities": sorted(registry.capabilities(channel.platform, settings.MODERATION_CHANNELS)),
            "can_manage": request.user.has_perm("moderation.manage_channels"),
            # Why Connect is not offered (no adapter yet, app credentials not set), or "".
            "connect_problem": registry.connect_problem(channel.platform, settings.MODERATION_CHANNELS),
            "failures": selectors.channel_recent_failures(channel=channel),
        },
    )


@require_POST
@login_required
@permission_required("moderation.manage_channels", raise_exception=True)
def channel_connect_start(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    state = secrets.token_urlsafe(24)
    try:
        auth = channel_oauth_start(
            channel_id=channel.pk,
            actor=request.user,  # type: ignore[arg-type]
            redirect_uri=_callback_uri(request),
            state=state,
        )
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
        return redirect("moderation:channel-detail", channel_id=channel.pk)
    request.session[SESSION_KEY] = {"state": state, "channel_id": channel.pk, "verifier": auth.code_verifier}
    return redirect(auth.url)


@login_required
@permission_required("moderation.manage_channels", raise_exception=True)
def channel_oauth_callback(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    state = request.GET.get("state", "")
    if (
        not isinstance(pending, dict)
        or not state
        or not constant_time_compare(state, str(pending.get("state")))
    ):
        return HttpResponseBadRequest(
            "This sign-in link does not match the connect request (state check failed). "
            "Go back to the channel and press Connect again."
        )
    channel = get_object_or_404(Channel, pk=pending["channel_id"])
    if request.GET.get("error"):
        reason = request.GET.get("error_description") or request.GET["error"]
        messages.error(request, f"The platform did not connect {channel}: {reason}.")
        return redirect("moderation:channel-detail", channel_id=channel.pk)
    try:
        _, account = channel_oauth_complete(
            channel_id=channel.pk,
            actor=request.user,  # type: ignore[arg-type]
            code=request.GET.get("code", ""),
            redirect_uri=_callback_uri(request),
            code_verifier=str(pending.get("verifier", "")),
        )
    except ChannelError as exc:
        messages.error(request, f"Connecting {channel} failed: {exc}")
        return redirect("moderation:channel-detail", channel_id=channel.pk)
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
        return redirect("moderation:channel-detail", channel_id=channel.pk)
    messages.success(
        request, f"Connected {channel} to {account.name} ({account.account_id}); the first poll has started."
    )
    return redirect("moderation:channel-detail", channel_id=channel.pk)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("moderation.manage_channels", raise_exception=True)
def channel_disconnect_view(request: HttpRequest, channel_id: int) -> HttpResponse:
    """GET asks for confirmation (and says whether the platform login is shared); POST disconnects."""
    channel = get_object_or_404(Channel, pk=channel_id)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "moderation/channels/disconnect.html",
            {"channel": channel, "shares_login": channel_shares_login(channel_id=channel.pk)},
        )
    result = channel_disconnect(channel_id=channel.pk, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Disconnected {result}; its tokens were wiped.")
    return redirect("moderation:channel-detail", channel_id=channel.pk)
