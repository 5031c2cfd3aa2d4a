"""The usage ledger: what each channel spent on its platform, per platform day (ChannelUsage).

Adapters with a budget (X: posts read against a monthly budget; YouTube: quota units a day)
say which day a moment falls in (`usage_day`) and count what they spend (`units_spent`).
Before use they are told what the channel already spent today and this month, so they can
refuse up front what would overrun; after use the new spend is added here. Platform-agnostic:
an adapter without `usage_day` has no budget and is left alone.
"""

from __future__ import annotations

import time
from typing import Any

from django.db.models import F, Sum

from moderation.models import Channel, ChannelUsage


def _day(adapter: Any, now: float | None = None) -> str | None:
    usage_day = getattr(adapter, "usage_day", None)
    return str(usage_day(time.time() if now is None else now)) if callable(usage_day) else None


def usage_spent(*, channel: Channel, adapter: Any) -> tuple[int, int]:
    """(units spent today, units spent this month) in the platform's own days."""
    today = _day(adapter)
    if today is None:
        return 0, 0
    rows = ChannelUsage.objects.filter(channel=channel, day__startswith=today[:7])
    month = rows.aggregate(total=Sum("units"))["total"] or 0
    day = rows.filter(day=today).aggregate(total=Sum("units"))["total"] or 0
    return int(day), int(month)


def usage_prepare(*, channel: Channel, adapter: Any) -> None:
    """Tell a budgeted adapter what the channel already spent, before it makes any call."""
    if _day(adapter) is None:
        return
    adapter.units_used_today, adapter.units_used_month = usage_spent(channel=channel, adapter=adapter)
    adapter.units_recorded = adapter.units_spent


def usage_record(*, channel_id: int, adapter: Any) -> int:
    """Add what the adapter spent since the last record; returns the units added."""
    today = _day(adapter)
    if today is None:
        return 0
    spent = int(adapter.units_spent)
    delta = spent - int(getattr(adapter, "units_recorded", 0))
    if delta <= 0:
        return 0
    adapter.units_recorded = spent
    row, _ = ChannelUsage.objects.get_or_create(channel_id=channel_id, day=today)
    ChannelUsage.objects.filter(pk=row.pk).update(
        units=F("units") + delta
    )  # concurrent polls and actions add up
    return delta
