"""Channel pages: list, detail with health alerts, OAuth connect/callback, disconnect."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_POST

from moderation import selectors
from moderation.channels import registry
from moderation.channels.base import ChannelError
from moderation.errors import ModerationError
from moderation.models import Channel
from moderation.services.channels import channel_connect, channel_disconnect, channel_login

SESSION_KEY = "channel_oauth"


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("moderation:channel-oauth-callback"))


@login_required
@permission_required("moderation.view_channel", raise_exception=True)
def channel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/channels/list.html",
        {
            "channels": list(selectors.channel_list()),
            "configured": registry.configured_platforms(settings.MODERATION_CHANNELS),
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
            "capabilities": sorted(registry.capabilities(channel.platform, settings.MODERATION_CHANNELS)),
            "can_manage": request.user.has_perm("moderation.manage_channels"),
        },
    )


@require_POST
@login_required
@permission_required("moderation.manage_channels", raise_exception=True)
def channel_connect_start(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    try:
        login = channel_login(channel.platform)
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
        return redirect("moderation:channel-detail", channel_id=channel.pk)
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {"state": state, "channel_id": channel.pk}
    url = login.authorization_url(
        redirect_uri=_callback_uri(request), state=state, scopes=settings.FACEBOOK_SCOPES
    )
    return redirect(url)


@login_required
@permission_required("moderation.manage_channels", raise_exception=True)
def channel_oauth_callback(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    state = request.GET.get("state", "")
    if not pending or not state or not constant_time_compare(state, pending["state"]):
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
        account = channel_login(channel.platform).connect(
            code=request.GET.get("code", ""),
            redirect_uri=_callback_uri(request),
            platform=channel.platform,
            want_account_id=channel.account_id,
            want_name=channel.display_name,
        )
        channel_connect(channel_id=channel.pk, actor=request.user, account=account)  # type: ignore[arg-type]
    except ChannelError as exc:
        messages.error(request, f"Connecting {channel} failed: {exc}")
        return redirect("moderation:channel-detail", channel_id=channel.pk)
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}")
        return redirect("moderation:channel-detail", channel_id=channel.pk)
    messages.success(request, f"Connected {channel} to {account.name} ({account.account_id}).")
    return redirect("moderation:channel-detail", channel_id=channel.pk)


@require_POST
@login_required
@permission_required("moderation.manage_channels", raise_exception=True)
def channel_disconnect_view(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    channel_disconnect(channel_id=channel.pk, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Disconnected {channel}; its tokens were revoked and wiped.")
    return redirect("moderation:channel-detail", channel_id=channel.pk)
