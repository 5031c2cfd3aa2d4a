"""Template helpers for the queue: human labels, time left, evidence highlighting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from moderation import labels

register = template.Library()

register.filter("category_label", labels.category_label)
register.filter("route_label", labels.route_label)
register.filter("subtype_label", labels.subtype_label)
register.filter("action_label", labels.action_label)
register.filter("source_label", labels.source_label)


@register.filter
def audit_label(event: Any) -> str:
    """An AuditEvent as words ("Claimed", "Hide confirmed by the platform"), never its verb."""
    return labels.audit_label(event.verb, event.before, event.after, event.detail)


@register.filter
def pct(score: float | None) -> str:
    return "" if score is None else f"{round(score * 100)}%"


def _span(minutes: int) -> str:
    hours, mins = divmod(abs(minutes), 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


@register.filter
def time_left(due_by: datetime | None) -> str:
    """'2h 05m left' or 'overdue by 35m' (wall-clock; due_by already counts office hours)."""
    if due_by is None:
        return ""
    minutes = int((due_by - timezone.now()).total_seconds() // 60)
    return f"{_span(minutes)} left" if minutes >= 0 else f"overdue by {_span(minutes)}"


@register.filter
def is_overdue(due_by: datetime | None) -> bool:
    return due_by is not None and due_by < timezone.now()


@register.simple_tag
def highlight(text: str, flags: Iterable[Any]) -> SafeString:
    """The text with each flag's evidence span in <mark>, labelled with its category."""
    spans: list[tuple[int, int, str]] = []
    for flag in flags:
        start, end = flag.evidence_start, flag.evidence_end
        if start is None or end is None or text[start:end] != flag.evidence:
            start = text.find(flag.evidence) if flag.evidence else -1
            end = start + len(flag.evidence)
        if start >= 0 and end > start:
            spans.append((start, end, labels.category_label(flag.category)))
    spans.sort()
    out: list[str] = []
    pos = 0
    for start, end, label in spans:
        if start < pos:
            continue  # overlapping evidence: the first span wins
        out.append(escape(text[pos:start]))
        out.append(f'<mark title="{escape(label)}">{escape(text[start:end])}</mark>')
        out.append(f'<span class="visually-hidden"> ({escape(label)})</span>')
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current URL's query string with some parameters changed (filters stay in the URL)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
