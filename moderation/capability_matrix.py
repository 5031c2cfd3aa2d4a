"""Reads for the capability matrix page: platform by action from the registry, with each channel's limits.

Nothing here knows a platform: what each can do comes from its adapter's declarations
(capabilities, capabilities_by_kind, block_restriction, unsupported, action_notes) and its
limits from the adapter's own `describe_limits` (channels/base.DescribesLimits), fed from the
usage ledger.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from moderation.channels import registry
from moderation.channels.base import (
    ALL_KINDS,
    BLOCK,
    DELETE,
    HIDE,
    REPLY,
    ChannelAdapter,
    ChannelNotConfigured,
    DescribesLimits,
    HasBudgetDay,
    LimitsInput,
)
from moderation.models import Channel, ItemKind, Platform
from moderation.services.usage import usage_spent

BLOCK_LABEL = {"ban": "Ban", "block": "Block", "mute": "Mute"}
KIND_LABEL = {k.value: k.label.lower() + "s" for k in ItemKind}
REPORT = "Report to the platform (GP014 2.5): open the item's permalink and use the platform's Report."


@dataclass
class Cell:
    allowed: bool
    text: str


@dataclass
class PlatformRow:
    platform: str
    label: str
    cells: dict[str, Cell]
    channels: list[dict[str, Any]] = field(default_factory=list)


def _cell(adapter: type[ChannelAdapter], capability: str, name: str, *, label: str = "Yes") -> Cell:
    notes = adapter.action_notes
    unsupported = adapter.unsupported
    if capability not in adapter.capabilities:
        return Cell(False, unsupported.get(name, f"No API to {name}.") + " " + REPORT)
    kinds = sorted(adapter.item_kinds & ALL_KINDS)
    narrowed = [
        k for k in kinds if capability not in adapter.capabilities_by_kind.get(k, adapter.capabilities)
    ]
    text = label
    if notes.get(name):
        text += f": {notes[name]}"
    if narrowed:
        text += f" (not on {', '.join(KIND_LABEL.get(k, k) for k in narrowed)})"
    if unsupported.get(name):
        text += f". {unsupported[name].rstrip('.')}"
    return Cell(True, text + ".")


def capability_matrix(*, now: float | None = None) -> list[PlatformRow]:
    config = settings.MODERATION_CHANNELS
    moment = time.time() if now is None else now
    rows = []
    channels = list(Channel.objects.order_by("platform", "handle"))
    for platform in Platform:
        try:
            adapter = registry.adapter_class(platform.value, config)
        except ChannelNotConfigured:
            continue
        restriction = adapter.block_restriction
        cells = {
            "Reply": _cell(adapter, REPLY, "reply"),
            "Hide / unhide": _cell(adapter, HIDE, "hide"),
            "Delete": _cell(adapter, DELETE, "delete"),
            "Block / ban / mute": _cell(adapter, BLOCK, "block", label=BLOCK_LABEL.get(restriction, "Block")),
            "Report": Cell(True, REPORT),
        }
        row = PlatformRow(platform.value, platform.label, cells)
        options: Mapping[str, Any] = config[platform.value].get("OPTIONS") or {}  # type: ignore[assignment]
        for channel in (c for c in channels if c.platform == platform.value):
            today, month = usage_spent(channel=channel, adapter=adapter)
            state = channel.rate_limit_state or {}
            facts = LimitsInput(options=options, used_today=today, used_month=month, state=state, now=moment)
            limits = adapter.describe_limits(facts) if isinstance(adapter, DescribesLimits) else []
            if channel.rate_limited_until and channel.rate_limited_until.timestamp() > moment:
                limits.append(f"Rate limited until {channel.rate_limited_until:%d %b %H:%M}.")
            row.channels.append({"channel": channel, "limits": limits})
        rows.append(row)
    return rows


def channel_budgets(*, now: float | None = None) -> list[dict[str, Any]]:
    """The queue page's budget panel: each connected channel with a budget (X's reads, YouTube's
    quota) or throttled right now, with the same plain sentences as the matrix's limits."""
    moment = time.time() if now is None else now
    config = settings.MODERATION_CHANNELS
    budgets = []
    for row in capability_matrix(now=moment):
        budgeted = isinstance(registry.adapter_class(row.platform, config), HasBudgetDay)
        for entry in row.channels:
            channel = entry["channel"]
            throttled = channel.rate_limited_until and channel.rate_limited_until.timestamp() > moment
            # Per-endpoint windows ("Rate limit search: 299 of 300 ...") stay on the capabilities page.
            lines = [line for line in entry["limits"] if not line.startswith("Rate limit ")]
            if channel.enabled and channel.is_connected and lines and (budgeted or throttled):
                budgets.append({**entry, "limits": lines})
    return budgets


def actions_waiting_for_reset(*, limit: int = 50) -> list[Any]:
    """Decisions made but held until a platform budget resets (Action.next_attempt_at), soonest first."""
    from django.utils import timezone

    from moderation.models import Action, ActionStatus

    return list(
        Action.objects.filter(status=ActionStatus.PENDING, next_attempt_at__gt=timezone.now())
        .select_related("item", "channel", "requested_by")
        .order_by("next_attempt_at", "id")[:limit]
    )
