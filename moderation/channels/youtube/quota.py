"""YouTube's daily quota, planned (pure arithmetic; the ledger lives in the database).

Google gives a project 10,000 units a day by default, reset at midnight Pacific
time; a list call costs 1 unit and every write (moderate, reply, delete) 50,
even when it fails (docs/channels.md, "YouTube"). Polls spend from the day's budget minus
a reserve kept for officers' actions, spread evenly over what is left of the day;
an action that does not fit waits for the reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
DEFAULT_DAILY_UNITS = 10_000
LIST_COST = 1
WRITE_COST = 50
# Units a poll may not touch, so officers can still act late in the day (20 writes).
DEFAULT_ACTION_RESERVE = 20 * WRITE_COST

COSTS = {
    "commentThreads.list": LIST_COST,
    "comments.list": LIST_COST,
    "channels.list": LIST_COST,
    "comments.setModerationStatus": WRITE_COST,
    "comments.insert": WRITE_COST,
    "comments.delete": WRITE_COST,
}


def quota_day(now: datetime) -> str:
    """The quota day a moment falls in (Pacific date), e.g. '2026-12-01'."""
    return now.astimezone(PACIFIC).date().isoformat()


def seconds_until_reset(now: datetime) -> float:
    local = now.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)
    return max(1.0, (midnight - local).total_seconds())


@dataclass(frozen=True)
class QuotaPlan:
    daily_units: int
    used: int
    reserve: int = DEFAULT_ACTION_RESERVE

    @property
    def left(self) -> int:
        return max(0, self.daily_units - self.used)

    def can_poll(self, units: int) -> bool:
        return self.used + units <= self.daily_units - self.reserve

    def can_act(self, units: int = WRITE_COST) -> bool:
        return self.used + units <= self.daily_units

    def actions_left(self) -> int:
        return self.left // WRITE_COST

    def poll_interval(self, *, now: datetime, units_per_poll: float, minimum: float) -> float:
        """Seconds between polls so the poll share lasts until the reset (never under `minimum`)."""
        poll_units = self.daily_units - self.reserve - self.used
        remaining = seconds_until_reset(now)
        if poll_units < units_per_poll:
            return remaining  # nothing left for polls today: next poll after the reset
        polls = poll_units / max(units_per_poll, 1.0)
        return max(minimum, remaining / polls)
