"""The usage ledger: what each channel spent on its platform, per platform day (ChannelUsage).

Adapters with a budget (X: posts read against a monthly budget; YouTube: quota units a day)
implement channels/base.HasDailyQuota: they say which day a moment falls in (`usage_day`) and
count what they spend (`units_spent`). Before use they are told what the channel already spent
today and this month, so they can refuse up front what would overrun; after use the new spend is
added here. Platform-agnostic: an adapter without a budget day has no budget and is left alone.
"""

from __future__ import annotations

import time

from django.db.models import F, Sum

from moderation.channels.base import ChannelAdapter, HasBudgetDay, HasDailyQuota
from moderation.models import Channel, ChannelUsage


def usage_spent(*, channel: Channel, adapter: ChannelAdapter | type[ChannelAdapter]) -> tuple[int, int]:
    """(units spent today, units spent this month) in the platform's own days; the adapter's class
    will do (the capability matrix has no instance)."""
    if not isinstance(adapter, HasBudgetDay):
        return 0, 0
    today = adapter.usage_day(time.time())
    rows = ChannelUsage.objects.filter(channel=channel, day__startswith=today[:7])
    month = rows.aggregate(total=Sum("units"))["total"] or 0
    day = rows.filter(day=today).aggregate(total=Sum("units"))["total"] or 0
    return int(day), int(month)


def usage_prepare(*, channel: Channel, adapter: ChannelAdapter) -> None:
    """Tell a budgeted adapter what the channel already spent, before it makes any call."""
    if not isinstance(adapter, HasDailyQuota):
        return
    adapter.units_used_today, adapter.units_used_month = usage_spent(channel=channel, adapter=adapter)
    adapter.units_recorded = adapter.units_spent


def usage_record(*, channel_id: int, adapter: ChannelAdapter) -> int:
    """Add what the adapter spent since the last record; returns the units added."""
    if not isinstance(adapter, HasDailyQuota):
        return 0
    today = adapter.usage_day(time.time())
    spent = int(adapter.units_spent)
    delta = spent - int(adapter.units_recorded)
    if delta <= 0:
        return 0
    adapter.units_recorded = spent
    row, _ = ChannelUsage.objects.get_or_create(channel_id=channel_id, day=today)
    ChannelUsage.objects.filter(pk=row.pk).update(
        units=F("units") + delta
    )  # concurrent polls and actions add up
    return delta
