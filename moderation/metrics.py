"""Prometheus metrics, read from the database at scrape time.

Web, workers and beat are separate processes; counting in process memory would need
prometheus_client's multiprocess mode and shared files. The rows already hold the truth
(items, actions, channels), so one collector turns them into metrics on each scrape:
a handful of indexed aggregate queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from moderation.models import OPEN_STATES, Action, ActionStatus, Channel, ChannelHealth, Item, Priority

TIME_TO_FLAG_WINDOW = timedelta(hours=1)
TIME_TO_FLAG_SAMPLE = 5000  # newest classified items in the window; plenty for a p95
DONE_ACTIONS = (ActionStatus.SENT, ActionStatus.CONFIRMED, ActionStatus.FAILED, ActionStatus.NEEDS_CHECK)


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile of sorted values (no numpy needed for a few thousand numbers)."""
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[index]


class ModerationCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from self._queue()
        yield from self._actions()
        yield from self._time_to_flag()
        yield from self._channels()

    def _queue(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "havebury_queue_depth", "Open items in the moderation queue.", labels=["state", "priority"]
        )
        rows = (
            Item.objects.filter(state__in=OPEN_STATES)
            .exclude(kind="post")
            .values("state", "priority")
            .annotate(n=Count("id"))
        )
        seen = {(r["state"], r["priority"]): r["n"] for r in rows}
        for state in OPEN_STATES:
            for priority in Priority:
                depth.add_metric([str(state), priority.label.lower()], seen.get((state, priority.value), 0))
        yield depth
        yield GaugeMetricFamily(
            "havebury_items_unclassified",
            "Items stored but not yet checked against GP014.",
            value=Item.objects.filter(classified_at__isnull=True).exclude(kind="post").count(),
        )

    def _actions(self) -> Iterator[Metric]:
        rows = Action.objects.values("kind", "status").annotate(n=Count("id"))
        done = CounterMetricFamily(
            "havebury_actions",
            "Platform actions finished, by kind and outcome (sent, confirmed, failed, needs_check).",
            labels=["kind", "status"],
        )
        open_ = GaugeMetricFamily(
            "havebury_actions_open", "Platform actions waiting or in flight.", labels=["kind", "status"]
        )
        for row in rows:
            target = done if row["status"] in DONE_ACTIONS else open_
            target.add_metric([row["kind"], row["status"]], row["n"])
        yield done
        yield open_

    def _time_to_flag(self) -> Iterator[Metric]:
        """Seconds from a comment's creation on the platform to its classification, last hour."""
        since = timezone.now() - TIME_TO_FLAG_WINDOW
        pairs = (
            Item.objects.filter(classified_at__gte=since, created_on_platform__isnull=False)
            .exclude(kind="post")
            .order_by("-classified_at")
            .values_list("created_on_platform", "classified_at")[:TIME_TO_FLAG_SAMPLE]
        )
        seconds = sorted(
            max(0.0, (done - made).total_seconds())
            for made, done in pairs
            if made is not None and done is not None
        )
        ttf = GaugeMetricFamily(
            "havebury_time_to_flag_seconds",
            "Platform creation to classification, over items classified in the last hour.",
            labels=["quantile"],
        )
        for q in (0.5, 0.95):
            ttf.add_metric([str(q)], quantile(seconds, q))
        yield ttf
        yield GaugeMetricFamily(
            "havebury_time_to_flag_items", "Items behind havebury_time_to_flag_seconds.", value=len(seconds)
        )

    def _channels(self) -> Iterator[Metric]:
        headroom = GaugeMetricFamily(
            "havebury_platform_headroom_percent",
            "100 minus the highest usage percentage the platform last reported for the channel.",
            labels=["channel", "platform"],
        )
        health = GaugeMetricFamily(
            "havebury_channel_health", "1 for the channel's current health.", labels=["channel", "health"]
        )
        success = GaugeMetricFamily(
            "havebury_channel_last_success_timestamp_seconds",
            "When the channel last polled without error.",
            labels=["channel"],
        )
        for channel in Channel.objects.order_by("pk"):
            label = f"{channel.platform}:{channel.handle}"
            percent = (channel.rate_limit_state or {}).get("percent")
            if isinstance(percent, int | float):
                headroom.add_metric([label, channel.platform], max(0.0, 100.0 - float(percent)))
            for value in ChannelHealth.values:
                health.add_metric([label, value], 1.0 if channel.health == value else 0.0)
            if channel.last_success_at:
                success.add_metric([label], channel.last_success_at.timestamp())
        yield headroom
        yield health
        yield success
