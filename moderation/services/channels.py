"""Channel connection services: connect, disconnect, auth failure (audited; conventions §1)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from moderation.channels import registry
from moderation.channels.base import ChannelAdapter, ChannelError, ConnectedAccount
from moderation.channels.meta import FacebookLogin
from moderation.errors import ActionNotAvailable, NotPermitted
from moderation.models import Channel, ChannelHealth
from moderation.services.audit import audit_record

log = logging.getLogger(__name__)

# Platforms connected through Facebook Login; the others arrive with their own issues.
META_PLATFORMS = frozenset({"facebook", "instagram"})


def _require_manage(actor: User | None) -> None:
    if actor is not None and not actor.has_perm("moderation.manage_channels"):
        raise NotPermitted(
            "Only a Lead can connect or disconnect channels.",
            hint="Ask a Lead, or an admin to give you the Lead role.",
        )


def channel_login(platform: str) -> FacebookLogin:
    """The OAuth client for a platform, built from settings."""
    if platform not in META_PLATFORMS:
        raise ActionNotAvailable(
            f"Connecting {platform} channels is not built yet.",
            hint="Facebook and Instagram can be connected.",
        )
    if not settings.FACEBOOK_APP_ID or not settings.FACEBOOK_APP_SECRET:
        raise ActionNotAvailable(
            "Facebook Login is not configured.",
            hint="Set FACEBOOK_APP_ID and FACEBOOK_APP_SECRET (docs/channels.md).",
        )
    return FacebookLogin(
        graph_url=settings.FACEBOOK_GRAPH_URL,
        dialog_url=settings.FACEBOOK_DIALOG_URL,
        version=settings.FACEBOOK_GRAPH_VERSION,
        app_id=settings.FACEBOOK_APP_ID,
        app_secret=settings.FACEBOOK_APP_SECRET,
        timeout=settings.PLATFORM_TIMEOUT,
    )


def channel_adapter(channel: Channel) -> ChannelAdapter:
    """The platform adapter for a connected channel, built from settings and its stored tokens."""
    return registry.adapter_for(
        channel.platform,
        config=settings.MODERATION_CHANNELS,
        credentials=channel.credentials,
        account_id=channel.account_id,
    )


def channel_connect(*, channel_id: int, actor: User | None, account: ConnectedAccount) -> Channel:
    """Store what an OAuth connect produced: encrypted tokens, account id, expiry."""
    _require_manage(actor)
    now = timezone.now()
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel_id)
        before = {
            "account_id": channel.account_id,
            "health": channel.health,
            "connected": channel.is_connected,
        }
        if channel.account_id != account.account_id:
            channel.cursor = {}  # a different account: start a fresh sweep
        channel.account_id = account.account_id
        channel.credentials = dict(account.credentials)
        channel.token_expires_at = (
            now + timedelta(seconds=account.token_expires_in) if account.token_expires_in else None
        )
        channel.connected_at = now
        channel.health = ChannelHealth.UNKNOWN
        channel.last_error = ""
        channel.rate_limited_until = None
        try:
            with transaction.atomic():
                channel.save()
        except IntegrityError as exc:
            raise ActionNotAvailable(
                f"{channel.get_platform_display()} account {account.account_id} is already connected "
                "to another channel.",
                hint="Disconnect the other channel first.",
            ) from exc
        audit_record(
            actor=actor,
            verb="channel.connected",
            target=channel,
            before=before,
            after={
                "account_id": channel.account_id,
                "account_name": account.name,
                "token_expires_at": channel.token_expires_at.isoformat()
                if channel.token_expires_at
                else None,
            },
        )
    channel_subscribe_webhooks(channel_id=channel.pk)
    return channel


def channel_subscribe_webhooks(*, channel_id: int) -> bool:
    """Subscribe the account to the platform's webhooks where its adapter can; returns success.

    A failure does not undo the connect: polling still finds everything, only later. It is
    recorded on the channel and in the audit trail so a Lead can see why webhooks are quiet.
    """
    channel = Channel.objects.get(pk=channel_id)
    try:
        subscribe = getattr(channel_adapter(channel), "subscribe_webhooks", None)
        if subscribe is None:
            return False  # e.g. Instagram: subscriptions are app-level, set in Meta's dashboard
        subscribe()  # HTTP outside any transaction
    except ChannelError as exc:
        log.warning("channel %s: webhook subscription failed", channel.pk)
        with transaction.atomic():
            Channel.objects.filter(pk=channel.pk).update(
                last_error=f"Webhook subscription failed ({exc}); polling continues.",
                last_error_at=timezone.now(),
            )
            audit_record(
                actor=None, verb="channel.webhooks_failed", target=channel, detail={"error": str(exc)}
            )
        return False
    audit_record(actor=None, verb="channel.webhooks_subscribed", target=channel)
    return True


def channel_disconnect(*, channel_id: int, actor: User | None) -> Channel:
    """Revoke the app's access on the platform (unless another channel still uses it) and wipe tokens."""
    _require_manage(actor)
    channel = Channel.objects.get(pk=channel_id)
    user_token = str(channel.credentials.get("user_access_token", ""))
    revoked, revoke_error = False, ""
    shared = user_token and any(
        other.credentials.get("user_access_token") == user_token
        for other in Channel.objects.exclude(pk=channel.pk).exclude(credentials="")
    )
    if user_token and not shared and channel.platform in META_PLATFORMS:
        try:
            channel_login(channel.platform).revoke(user_token=user_token)  # HTTP outside the transaction
            revoked = True
        except (ChannelError, ActionNotAvailable) as exc:
            revoke_error = str(exc)
            log.warning("channel %s: revoke failed, wiping tokens anyway", channel.pk)
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel_id)
        channel.credentials = {}
        channel.token_expires_at = None
        channel.connected_at = None
        channel.health = ChannelHealth.UNKNOWN
        channel.cursor = {}
        channel.save()
        audit_record(
            actor=actor,
            verb="channel.disconnected",
            target=channel,
            before={"account_id": channel.account_id},
            after={"connected": False},
            detail={"revoked": revoked, "revoke_error": revoke_error, "shared_login": bool(shared)},
        )
    return channel


def channel_mark_auth_failed(*, channel_id: int, error: str) -> Channel:
    """The platform rejected the token: stop polling and show the reconnect alert."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel_id)
        before = channel.health
        channel.health = ChannelHealth.NEEDS_RECONNECT
        channel.last_error = error[:2000]
        channel.last_error_at = timezone.now()
        channel.save(update_fields=["health", "last_error", "last_error_at", "updated_at"])
        if before != ChannelHealth.NEEDS_RECONNECT:
            audit_record(
                actor=None,
                verb="channel.auth_failed",
                target=channel,
                before={"health": before},
                after={"health": channel.health},
                detail={"error": error[:500]},
            )
    return channel
