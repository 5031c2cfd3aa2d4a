"""Platform → adapter, built from settings.MODERATION_CHANNELS with import_string (conventions §1).

Each entry: {"ADAPTER": dotted path, "BASE_URL": ..., "OPTIONS": {...}}. The
credentials and account id come from the caller (the Channel row); adapters
never read settings or models themselves. A platform missing from the setting
is not registered, and the error says which setting to add.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.utils.module_loading import import_string

from moderation.channels.base import ChannelAdapter, ChannelAuthError, ChannelError

log = logging.getLogger(__name__)


class ChannelNotConfigured(ChannelError):
    """No adapter is configured for this platform."""


def _entry(platform: str) -> Mapping[str, Any]:
    config: Mapping[str, Mapping[str, Any]] = getattr(settings, "MODERATION_CHANNELS", {})
    entry = config.get(platform)
    if not entry:
        raise ChannelNotConfigured(
            f"No adapter is configured for {platform}. Add it to MODERATION_CHANNELS "
            "(see docs/channels.md for the environment variables).",
            code="not_configured",
        )
    return entry


def adapter_class(platform: str) -> type[ChannelAdapter]:
    return cast(type[ChannelAdapter], import_string(str(_entry(platform)["ADAPTER"])))


def capabilities(platform: str) -> frozenset[str]:
    try:
        return adapter_class(platform).capabilities
    except ChannelNotConfigured:
        return frozenset()


def configured_platforms() -> list[str]:
    return sorted(getattr(settings, "MODERATION_CHANNELS", {}))


def adapter_for(platform: str, *, credentials: Mapping[str, Any], account_id: str) -> ChannelAdapter:
    """A fresh adapter for one account, with its token passed in."""
    entry = _entry(platform)
    token = str(credentials.get("access_token", ""))
    if not token:
        raise ChannelAuthError(
            f"The {platform} channel {account_id or '(unconnected)'} has no token. "
            "Connect it on the Channels page.",
            code="no_token",
        )
    factory = import_string(str(entry["ADAPTER"]))
    options = dict(entry.get("OPTIONS", {}))
    adapter = factory(base_url=str(entry.get("BASE_URL", "")), token=token, account_id=account_id, **options)
    return cast(ChannelAdapter, adapter)
