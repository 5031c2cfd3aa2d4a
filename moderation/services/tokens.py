"""Access tokens that expire within hours (X: 2 h, YouTube: 1 h) are renewed before use.

Platform-agnostic: a connector that has `refresh(credentials=...)` and a channel whose
credentials hold a refresh token get a new access token when the stored one is about
to expire. A refusal is a ChannelAuthError, which the caller records as "needs reconnect".
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moderation.channels import registry
from moderation.channels.base import ChannelNotConfigured, RefreshesTokens
from moderation.models import Channel
from moderation.services.audit import audit_record

log = logging.getLogger(__name__)

REFRESH_AHEAD = timedelta(minutes=5)


def channel_refresh_token(*, channel: Channel) -> Channel:
    """The channel, with a renewed token if its token expires within REFRESH_AHEAD and can be renewed."""
    expires_at = channel.token_expires_at
    if expires_at is None or expires_at - REFRESH_AHEAD > timezone.now():
        return channel
    if not channel.credentials or not channel.credentials.get("refresh_token"):
        return channel  # e.g. LinkedIn: no refresh tokens outside approved partners; reconnect in 60 days
    try:
        connector = registry.connector_for(channel.platform, settings.MODERATION_CHANNELS)
    except ChannelNotConfigured:
        return channel
    if not isinstance(connector, RefreshesTokens):
        return channel
    # HTTP outside the transaction
    credentials, expires_in = connector.refresh(credentials=channel.credentials)
    now = timezone.now()
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        locked.credentials = credentials
        locked.token_expires_at = now + timedelta(seconds=expires_in) if expires_in else None
        locked.save(update_fields=["credentials", "token_expires_at", "updated_at"])
        audit_record(
            actor=None,
            verb="channel.token_refreshed",
            target=locked,
            after={
                "token_expires_at": locked.token_expires_at.isoformat() if locked.token_expires_at else None
            },
        )
    log.info("channel %s: access token renewed", channel.pk)
    return locked
