"""The queue's filters: parsed from a URL query string, applied to an Item queryset.

One parser for the dashboard and the API, so a link copied from one filters the
other the same way. Bad values are dropped with a message rather than raising,
so a stale bookmark still opens the queue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from moderation.models import Flag, Item, ItemState, Platform, Priority

STATE_CHOICES = ("open", *ItemState.values)


@dataclass(frozen=True, slots=True)
class QueueFilters:
    channel: int | None = None
    platform: str = ""
    category: str = ""
    route: str = ""
    state: str = "open"
    assignee: str = ""  # "me", "none" or a user id
    priority: int | None = None
    author: int | None = None
    since: date | None = None
    until: date | None = None
    q: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)

    def as_query(self) -> dict[str, str]:
        """The non-default filters as URL parameters (for links that keep the officer's view)."""
        out: dict[str, str] = {}
        for f in fields(self):
            if f.name == "problems":
                continue
            value = getattr(self, f.name)
            if value not in (None, "") and not (f.name == "state" and value == "open"):
                out[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    @property
    def active(self) -> bool:
        return bool(self.as_query())


def _int(raw: str, name: str, problems: list[str]) -> int | None:
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        problems.append(f"Ignored {name}={raw!r}: expected a number.")
        return None


def _date(raw: str, name: str, problems: list[str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(f"Ignored {name}={raw!r}: expected a date like 2026-03-31.")
        return None


def filters_parse(params: Mapping[str, Any]) -> QueueFilters:
    problems: list[str] = []

    def get(name: str) -> str:
        return str(params.get(name, "") or "").strip()

    state = get("state") or "open"
    if state not in STATE_CHOICES:
        problems.append(f"Ignored state={state!r}: use one of {', '.join(STATE_CHOICES)}.")
        state = "open"
    platform = get("platform")
    if platform and platform not in Platform.values:
        problems.append(f"Ignored platform={platform!r}.")
        platform = ""
    priority = _int(get("priority"), "priority", problems)
    if priority is not None and priority not in Priority.values:
        problems.append(f"Ignored priority={priority}: use 0 to 3.")
        priority = None
    assignee = get("assignee")
    if assignee not in ("", "me", "none") and not assignee.isdigit():
        problems.append(f"Ignored assignee={assignee!r}: use me, none or a user id.")
        assignee = ""
    return QueueFilters(
        channel=_int(get("channel"), "channel", problems),
        platform=platform,
        category=get("category")[:32],
        route=get("route")[:16],
        state=state,
        assignee=assignee,
        priority=priority,
        author=_int(get("author"), "author", problems),
        since=_date(get("since"), "since", problems),
        until=_date(get("until"), "until", problems),
        q=get("q")[:200],
        problems=tuple(problems),
    )


def filters_apply(qs: QuerySet[Item], filters: QueueFilters, *, officer_id: int | None) -> QuerySet[Item]:
    """Everything except `state`, which the caller decides (the queue and claim-next differ)."""
    f = filters
    if f.channel is not None:
        qs = qs.filter(channel_id=f.channel)
    if f.platform:
        qs = qs.filter(channel__platform=f.platform)
    if f.category:
        qs = qs.filter(Exists(Flag.objects.filter(item=OuterRef("pk"), category=f.category)))
    if f.route:
        qs = qs.filter(route=f.route)
    if f.assignee == "me":
        qs = qs.filter(claimed_by_id=officer_id)
    elif f.assignee == "none":
        qs = qs.filter(claimed_by__isnull=True)
    elif f.assignee:
        qs = qs.filter(claimed_by_id=int(f.assignee))
    if f.priority is not None:
        qs = qs.filter(priority=f.priority)
    if f.author is not None:
        qs = qs.filter(author_id=f.author)
    tz = timezone.get_current_timezone()
    if f.since:
        qs = qs.filter(received_at__gte=datetime.combine(f.since, time.min, tzinfo=tz))
    if f.until:
        qs = qs.filter(received_at__lt=datetime.combine(f.until, time.max, tzinfo=tz))
    if f.q:
        qs = qs.filter(
            Q(text__icontains=f.q) | Q(author__handle__icontains=f.q) | Q(author__display_name__icontains=f.q)
        )
    return qs


def state_q(state: str) -> Q:
    if state == "open":
        return Q(state__in=[ItemState.NEW, ItemState.IN_REVIEW, ItemState.ESCALATED])
    return Q(state=state)
