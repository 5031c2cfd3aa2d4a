"""Readiness checks (read-only): can this process reach the database and the broker, and how is
each channel and the work queue doing. Served by /readyz and used by the fault tests to show
what happened after a fault."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.utils import timezone

from moderation.models import Action, ActionStatus, Channel, ChannelHealth, Item

PROBE_TIMEOUT = 2.0  # seconds; a readiness probe must answer quickly even when a server hangs


def check_database() -> dict[str, Any]:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": exc.__class__.__name__, "detail": str(exc).splitlines()[0][:200]}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_broker(url: str | None = None) -> dict[str, Any]:
    url = url or settings.CELERY_BROKER_URL
    started = time.monotonic()
    if url.startswith("filesystem://"):
        folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", "")))
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            return {"ok": False, "kind": "filesystem", "error": f"broker folder {folder} is not writable"}
        return {"ok": True, "kind": "filesystem"}
    if url.startswith(("redis://", "rediss://")):
        client = redis.Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT)
        try:
            client.ping()
        except redis.RedisError as exc:
            return {"ok": False, "kind": "redis", "error": exc.__class__.__name__}
        finally:
            client.close()
        return {"ok": True, "kind": "redis", "ms": round((time.monotonic() - started) * 1000, 1)}
    return {"ok": False, "kind": url.split(":", 1)[0], "error": "no readiness check for this broker"}


def channel_states(*, with_errors: bool) -> list[dict[str, Any]]:
    """Each channel's state and when it will next try; errors only for signed-in staff."""
    from moderation.selectors import channel_schedules

    now = timezone.now()
    rows = []
    channels = list(Channel.objects.order_by("platform", "handle"))
    schedules = channel_schedules(channels, now=now)
    for channel in channels:
        schedule = schedules[channel.pk]
        next_poll = schedule.next_at.isoformat() if schedule.next_at else None
        row: dict[str, Any] = {
            "id": channel.pk,
            "platform": channel.platform,
            "handle": channel.handle,
            "enabled": channel.enabled,
            "connected": channel.is_connected,
            "health": channel.health,
            "health_label": ChannelHealth(channel.health).label,
            "last_success_at": channel.last_success_at.isoformat() if channel.last_success_at else None,
            "last_error_at": channel.last_error_at.isoformat() if channel.last_error_at else None,
            "rate_limited_until": (
                channel.rate_limited_until.isoformat()
                if channel.rate_limited_until and channel.rate_limited_until > now
                else None
            ),
            "next_poll_at": next_poll,
            "poll_mode": schedule.plan.mode,  # normal | busy | night | backoff
            "poll_reason": schedule.plan.reason,
            "poll_failures": channel.poll_failures,
            "usage_percent": (channel.rate_limit_state or {}).get("percent"),
        }
        if with_errors:
            row["last_error"] = channel.last_error[:300]
        rows.append(row)
    return rows


def work_state() -> dict[str, Any]:
    """Backlog a person should know about: unclassified items and actions by delivery state."""
    day_ago = timezone.now() - timedelta(days=1)
    actions = Action.objects.aggregate(
        pending=Count("id", filter=Q(status=ActionStatus.PENDING)),
        sending=Count("id", filter=Q(status=ActionStatus.SENDING)),
        needs_check=Count("id", filter=Q(status=ActionStatus.NEEDS_CHECK)),
        failed_24h=Count("id", filter=Q(status=ActionStatus.FAILED, updated_at__gte=day_ago)),
    )
    return {
        "unclassified": Item.objects.filter(classified_at__isnull=True).exclude(kind="post").count(),
        "actions": actions,
    }


def readiness(*, with_errors: bool) -> tuple[bool, dict[str, Any]]:
    """(ready, report). Ready means the database and the broker answer; channels only inform,
    because one platform being down must not take the whole app out of service."""
    database = check_database()
    broker = check_broker()
    report: dict[str, Any] = {"checks": {"database": database, "broker": broker}}
    if database["ok"]:
        report["channels"] = channel_states(with_errors=with_errors)
        report["work"] = work_state()
        troubled = [c for c in report["channels"] if c["connected"] and c["health"] not in ("ok", "unknown")]
    else:
        troubled = []
    ready = database["ok"] and broker["ok"]
    report["status"] = "fail" if not ready else "degraded" if troubled else "ok"
    return ready, report
