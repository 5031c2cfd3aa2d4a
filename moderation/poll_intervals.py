"""How long a channel waits before its next poll: pure arithmetic, state in, seconds and a reason out.

Leads set three intervals per channel (Settings > Poll intervals): normal, busy and night. The
beat's fan-out (selectors.channel_schedules) gathers each channel's state and asks
`next_poll_interval` when it is due; the channel pages show the same plan, so what people read
is what the scheduler does. No Django, no clock, no I/O here (issue 12).

The order of the rules, and why:
1. A channel whose last polls failed backs off exponentially (15 s, 30 s, 60 s … up to 5 minutes),
   but never waits longer than the interval rules 2-4 would choose for it if it were healthy:
   a failed poll missed comments, so the first retry comes soon; a platform that stays down is
   asked less and less often, yet never less often than a healthy one, so the queue catches up
   within one interval of the platform coming back (issue 12: within 60 s at a 30 s interval,
   however long the outage). Rate limits are not failures: they wait for the platform's own
   retry-after (Channel.rate_limited_until), which the fan-out applies on top.
2. A busy thread (BUSY_MIN_NEW or more comments written in the last BUSY_WINDOW_SECONDS) polls at
   the busy interval, even at night: a pile-on out of hours is when harm spreads fastest.
3. Outside office hours the channel polls at the night interval (never faster than normal).
4. Low headroom stretches whatever 2-3 chose: below LOW_HEADROOM of the platform's allowance left
   the interval grows in proportion (half the allowance left of that → twice as long), at most
   MAX_STRETCH times, so a busy thread cannot spend the budget an officer's hide needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MIN_INTERVAL = 30  # seconds; the Channel model's own floor (channel_poll_interval_min)
BUSY_WINDOW_SECONDS = 15 * 60
BUSY_MIN_NEW = 5  # comments written within the window that make a thread busy
LOW_HEADROOM = 0.25  # fraction of the platform's allowance left below which polls slow down
MAX_STRETCH = 8.0
BACKOFF_FIRST = 15  # seconds after the first failed poll
BACKOFF_MAX = 300  # the longest wait between failed polls

NORMAL, BUSY, NIGHT, BACKOFF = "normal", "busy", "night", "backoff"


@dataclass(frozen=True)
class PollState:
    """What the next interval depends on; gathered by the caller from the channel's rows."""

    normal: int  # seconds, Lead-set
    busy: int
    night: int
    new_recently: int = 0  # comments written on the platform within BUSY_WINDOW_SECONDS
    office_open: bool = True
    headroom: float | None = None  # 0..1 of the platform's allowance left; None when unknown
    failures: int = 0  # polls failed in a row since the last success


@dataclass(frozen=True)
class PollPlan:
    seconds: int
    mode: str  # normal | busy | night | backoff
    reason: str  # one sentence for the channel page
    stretch: float = 1.0  # how much low headroom lengthened it


def backoff_seconds(failures: int) -> int:
    """Wait after `failures` failed polls in a row: 15 s doubling, at most BACKOFF_MAX."""
    if failures <= 0:
        return 0
    return int(min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** min(failures - 1, 30)))


def headroom_stretch(headroom: float | None) -> float:
    """1 while at least LOW_HEADROOM is left; then LOW_HEADROOM / headroom, at most MAX_STRETCH."""
    if headroom is None or headroom >= LOW_HEADROOM:
        return 1.0
    return min(MAX_STRETCH, LOW_HEADROOM / max(headroom, LOW_HEADROOM / MAX_STRETCH))


def next_poll_interval(state: PollState) -> PollPlan:
    healthy = _healthy_plan(state)
    if state.failures > 0:
        wait = min(backoff_seconds(state.failures), healthy.seconds)
        polls = "poll" if state.failures == 1 else f"{state.failures} polls in a row"
        return PollPlan(
            seconds=wait,
            mode=BACKOFF,
            reason=f"Backing off after the last {polls} failed: retrying {wait} s after the last try "
            f"(doubling each time, never longer than the {healthy.mode} interval of {healthy.seconds} s).",
        )
    return healthy


def _healthy_plan(state: PollState) -> PollPlan:
    """Rules 2-4: the interval the channel would poll at if its last poll had succeeded."""
    if state.new_recently >= BUSY_MIN_NEW:
        seconds, mode = min(state.normal, state.busy), BUSY
        minutes = BUSY_WINDOW_SECONDS // 60
        reason = f"Busy: {state.new_recently} new comments in the last {minutes} minutes."
    elif not state.office_open:
        seconds, mode, reason = max(state.normal, state.night), NIGHT, "Outside office hours."
    else:
        seconds, mode, reason = state.normal, NORMAL, "Normal interval."
    stretch = headroom_stretch(state.headroom)
    if stretch > 1.0:
        seconds = math.ceil(seconds * stretch)
        left = round(100 * (state.headroom or 0.0))
        reason += (
            f" Slowed to {stretch:.1f} times as long because {left}% of the platform's allowance is left."
        )
    return PollPlan(seconds=max(MIN_INTERVAL, int(seconds)), mode=mode, reason=reason, stretch=stretch)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def headroom(usage: Mapping[str, Any], *, now: float) -> float | None:
    """The smallest fraction (0..1) of any allowance left, from what the adapter last recorded.

    Reads each platform's shape of Channel.rate_limit_state (the adapters' `usage`): Meta's usage
    percent; X's per-endpoint rate-limit headers (a window whose reset has passed is full again)
    and its daily share of the monthly read budget; YouTube's daily quota; LinkedIn's throttle.
    None when nothing is known (no headers seen yet, or a platform that reports none).
    """
    left: list[float] = []
    percent = _number(usage.get("percent"))  # Meta: X-App-Usage and friends, highest bucket
    if percent is not None:
        left.append(1.0 - percent / 100.0)
    limits = usage.get("rate_limits")
    if isinstance(limits, Mapping):  # X: {endpoint: {limit, remaining, reset}}
        for entry in limits.values():
            if not isinstance(entry, Mapping):
                continue
            limit, remaining, reset = (_number(entry.get(k)) for k in ("limit", "remaining", "reset"))
            if limit and remaining is not None and (reset is None or reset > now):
                left.append(remaining / limit)
    share, share_left = _number(usage.get("budget_share_today")), _number(usage.get("budget_left_today"))
    if share_left is not None and share is not None:  # X: today's even share of the monthly budget
        left.append(share_left / share if share > 0 else 0.0)
    daily, quota_left = _number(usage.get("quota_daily")), _number(usage.get("quota_left"))
    if daily and quota_left is not None:  # YouTube: units left of the daily quota
        left.append(quota_left / daily)
    throttled = _number(usage.get("throttled_until"))  # LinkedIn: told to wait until then
    if throttled is not None and throttled > now:
        left.append(0.0)
    if not left:
        return None
    return max(0.0, min(1.0, min(left)))
