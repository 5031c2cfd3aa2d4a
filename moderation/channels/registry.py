"""Platform → adapter, built from settings.MODERATION_CHANNELS with import_string (conventions §1).

Each entry: {"ADAPTER": dotted path, "BASE_URL": ..., "OPTIONS": {...}}. The
caller passes that setting in as `config` (channels/ imports no settings, per
tests/test_architecture.py), together with the credentials and account id from
the Channel row. A platform missing from the config is not registered, and the
error says which setting to add.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

from django.utils.module_loading import import_string

from moderation.channels.base import ChannelAdapter, ChannelAuthError, ChannelError, item_capabilities

log = logging.getLogger(__name__)


class ChannelNotConfigured(ChannelError):
    """No adapter is configured for this platform."""


Config = Mapping[str, Mapping[str, Any]]


def _entry(platform: str, config: Config) -> Mapping[str, Any]:
    entry = config.get(platform)
    if not entry:
        raise ChannelNotConfigured(
            f"No adapter is configured for {platform}. Add it to MODERATION_CHANNELS "
            "(see docs/channels.md for the environment variables).",
            code="not_configured",
        )
    return entry


def adapter_class(platform: str, config: Config) -> type[ChannelAdapter]:
    return cast(type[ChannelAdapter], import_string(str(_entry(platform, config)["ADAPTER"])))


def capabilities(platform: str, config: Config, *, item_kind: str | None = None) -> frozenset[str]:
    """What the platform can do; with `item_kind`, what it can do to that kind of item."""
    try:
        return item_capabilities(adapter_class(platform, config), item_kind)
    except ChannelNotConfigured:
        return frozenset()


def configured_platforms(config: Config) -> list[str]:
    return sorted(config)


def adapter_for(
    platform: str, *, config: Config, credentials: Mapping[str, Any], account_id: str
) -> ChannelAdapter:
    """A fresh adapter for one account, with its token passed in."""
    entry = _entry(platform, config)
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
