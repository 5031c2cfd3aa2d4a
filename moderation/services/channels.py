"""Channel connection services: OAuth connect, disconnect, webhooks, health (audited; docs/architecture.md).

Nothing here knows a platform: the connector, adapter and webhook handler come
from the channel registry (moderation/channels/registry.py, settings.MODERATION_CHANNELS).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from moderation.channels import registry
from moderation.channels.base import (
    AuthorizationRequest,
    ChannelAdapter,
    ChannelAuthError,
    ChannelError,
    ChannelNotConfigured,
    ChannelPermissionError,
    ChannelRateLimited,
    ChannelUnavailable,
    ConnectedAccount,
    Connector,
)
from moderation.errors import ActionNotAvailable, NotPermitted
from moderation.models import Channel, ChannelHealth
from moderation.services.audit import audit_record
from moderation.tasks import channel_poll, enqueue_on_commit

log = logging.getLogger(__name__)


def _require_manage(actor: User | None) -> None:
    if actor is not None and not actor.has_perm("moderation.manage_channels"):
        raise NotPermitted(
            "Only a Lead can connect or disconnect channels.",
            hint="Ask a Lead, or an admin to give you the Lead role.",
        )


def channel_connector(platform: str) -> Connector:
    """The OAuth connector for a platform, or ActionNotAvailable saying why there is none."""
    try:
        return registry.connector_for(platform, settings.MODERATION_CHANNELS)
    except ChannelNotConfigured as exc:
        raise ActionNotAvailable(exc.message, hint="See docs/channels.md.") from exc


def channel_adapter(channel: Channel, *, options: Mapping[str, Any] | None = None) -> ChannelAdapter:
    """The platform adapter for a connected channel, built from settings and its stored tokens."""
    from moderation.services.tokens import channel_refresh_token  # imports this module's neighbours
    from moderation.services.usage import usage_prepare

    channel = channel_refresh_token(channel=channel)  # X and YouTube tokens last 1-2 hours
    adapter = registry.adapter_for(
        channel.platform,
        config=settings.MODERATION_CHANNELS,
        credentials=channel.credentials,
        account_id=channel.account_id,
        options=options,
    )
    usage_prepare(channel=channel, adapter=adapter)  # budgets plan from what was already spent
    return adapter


def channel_oauth_start(
    *, channel_id: int, actor: User | None, redirect_uri: str, state: str
) -> AuthorizationRequest:
    """Where to send the Lead's browser to sign in to the channel's platform."""
    _require_manage(actor)
    channel = Channel.objects.get(pk=channel_id)
    return channel_connector(channel.platform).authorization_url(redirect_uri=redirect_uri, state=state)


def channel_oauth_complete(
    *, channel_id: int, actor: User | None, code: str, redirect_uri: str, code_verifier: str = ""
) -> tuple[Channel, ConnectedAccount]:
    """Exchange the callback's code (HTTP, outside any transaction) and store the connection."""
    _require_manage(actor)
    if not code.strip():
        raise ActionNotAvailable(
            "The platform sent no authorisation code, so the channel was not connected.",
            hint="Press Connect and sign in again.",
        )
    channel = Channel.objects.get(pk=channel_id)
    account = channel_connector(channel.platform).connect(
        code=code,
        redirect_uri=redirect_uri,
        code_verifier=code_verifier,
        want_account_id=channel.account_id,
        want_name=channel.display_name,
    )
    return channel_connect(channel_id=channel.pk, actor=actor, account=account), account


def channel_connect(*, channel_id: int, actor: User | None, account: ConnectedAccount) -> Channel:
    """Store what an OAuth connect produced (encrypted tokens, account, expiry); poll at once."""
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
        channel.credentials = {**account.credentials, "platform_user_id": account.platform_user_id}
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
        # Poll at once, not "Not polled yet" until the beat's next round.
        enqueue_on_commit(channel_poll, channel.pk)
    channel_subscribe_webhooks(channel_id=channel.pk)
    return channel


def channel_set_poll_intervals(
    *, channel_id: int, actor: User | None, normal: int, busy: int, night: int
) -> Channel:
    """Set how often a channel is read (seconds); audited. Leads do it in Settings > Poll intervals;
    the demo (connect_demo_channels) shortens them so every network's new comments show within a minute."""
    _require_manage(actor)
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel_id)
        before = {
            "poll_interval": channel.poll_interval,
            "busy_poll_interval": channel.busy_poll_interval,
            "night_poll_interval": channel.night_poll_interval,
        }
        channel.poll_interval, channel.busy_poll_interval, channel.night_poll_interval = normal, busy, night
        channel.full_clean(validate_unique=False, validate_constraints=True)
        channel.save(
            update_fields=["poll_interval", "busy_poll_interval", "night_poll_interval", "updated_at"]
        )
        audit_record(
            actor=actor,
            verb="channel.poll_intervals_set",
            target=channel,
            before=before,
            after={"poll_interval": normal, "busy_poll_interval": busy, "night_poll_interval": night},
        )
    return channel


def channel_subscribe_webhooks(*, channel_id: int) -> bool:
    """Subscribe the account to the platform's webhooks where its adapter can; returns success.

    A failure does not undo the connect: polling still finds everything, only later. It is
    recorded on the channel and in the audit trail so a Lead can see why webhooks are quiet.
    """
    channel = Channel.objects.get(pk=channel_id)
    try:
        if not channel_adapter(channel).subscribe_webhooks():  # HTTP outside any transaction
            return False  # e.g. Instagram: subscriptions are app-level, set in Meta's dashboard
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


def _login_group(platform: str) -> str:
    entry = settings.MODERATION_CHANNELS.get(platform) or {}
    path = str(entry.get("CONNECTOR", ""))
    if not path:
        return ""
    from django.utils.module_loading import import_string

    return str(getattr(import_string(path), "login_group", platform))


def _shares_login(channel: Channel, credentials: Mapping[str, Any]) -> bool:
    """Whether another connected channel signed in through the same platform login.

    Compares the platform user who signed in, not tokens: each connect gets its own
    token, but revoking the login withdraws the app from every channel it connected.
    A channel connected before the user was recorded counts as sharing (never revoke blind).
    """
    group = _login_group(channel.platform)
    user = str(credentials.get("platform_user_id", ""))
    for other in Channel.objects.exclude(pk=channel.pk).exclude(credentials=""):
        if not other.credentials or _login_group(other.platform) != group:
            continue
        other_user = str(other.credentials.get("platform_user_id", ""))
        if not user or not other_user or other_user == user:
            return True
    return False


def channel_shares_login(*, channel_id: int) -> bool:
    """Whether disconnecting this channel would leave its platform login in use by another."""
    channel = Channel.objects.get(pk=channel_id)
    return bool(channel.credentials) and _shares_login(channel, channel.credentials)


def channel_disconnect(*, channel_id: int, actor: User | None) -> Channel:
    """Revoke the app's access on the platform (unless another channel still uses it) and wipe tokens."""
    _require_manage(actor)
    channel = Channel.objects.get(pk=channel_id)
    credentials = dict(channel.credentials or {})
    revoked, revoke_error = False, ""
    shared = bool(credentials) and _shares_login(channel, credentials)
    if credentials and not shared:
        try:
            channel_connector(channel.platform).revoke(
                credentials=credentials
            )  # HTTP outside the transaction
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
            detail={"revoked": revoked, "revoke_error": revoke_error, "shared_login": shared},
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


def channel_record_error(
    *, channel_id: int, error: ChannelError, usage: Mapping[str, Any] | None = None
) -> str:
    """The one mapping from a platform error to the channel's health; returns a short status.

    Token or permission refused → needs_reconnect (polling stops, Leads are told);
    throttled → rate_limited until the platform's retry-after; anything else → degraded.
    Used by polling, webhook processing and outbound actions alike.
    """
    now = timezone.now()
    if isinstance(error, ChannelAuthError | ChannelPermissionError):
        channel_mark_auth_failed(channel_id=channel_id, error=str(error))
        return "needs_reconnect"
    if isinstance(error, ChannelRateLimited):
        updates: dict[str, Any] = {
            "health": ChannelHealth.RATE_LIMITED,
            "rate_limited_until": now + timedelta(seconds=max(1.0, error.retry_after)),
            "last_error": str(error)[:2000],
            "last_error_at": now,
        }
        if usage:
            updates["rate_limit_state"] = dict(usage)
        Channel.objects.filter(pk=channel_id).update(**updates)
        return "rate_limited"
    Channel.objects.filter(pk=channel_id).exclude(health=ChannelHealth.NEEDS_RECONNECT).update(
        health=ChannelHealth.DEGRADED, last_error=str(error)[:2000], last_error_at=now
    )
    return "unavailable" if isinstance(error, ChannelUnavailable) else "error"
