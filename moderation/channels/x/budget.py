"""X's monthly read budget, spread over the month (pure arithmetic).

X bills (pay-per-use) and caps (legacy monthly plans) posts read. The poller reads each
new post once (since_id), so the only way to make a budget last the month is to stop
reading for the day once the day's even share is used: what is left this month divided
by the days left, today included. Reads skipped today are picked up tomorrow (since_id
and the 7-day search window keep them), so nothing is lost, only later.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class ReadBudget:
    monthly: int  # 0: no budget set
    used_month: int  # including today
    used_today: int
    now: float

    @property
    def _moment(self) -> datetime:
        return datetime.fromtimestamp(self.now, tz=UTC)

    @property
    def days_left(self) -> int:
        moment = self._moment
        return calendar.monthrange(moment.year, moment.month)[1] - moment.day + 1

    @property
    def daily_share(self) -> float:
        before_today = self.used_month - self.used_today
        return max(0.0, (self.monthly - before_today) / self.days_left)

    @property
    def today_left(self) -> float:
        return self.daily_share - self.used_today

    @property
    def month_left(self) -> int:
        return max(0, self.monthly - self.used_month)

    @property
    def seconds_to_tomorrow(self) -> float:
        moment = self._moment
        midnight = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        return max(60.0, (midnight - moment).total_seconds())

    def as_dict(self) -> dict[str, Any]:
        if not self.monthly:
            return {}
        return {
            "budget_monthly": self.monthly,
            "budget_used_month": self.used_month,
            "budget_left_month": self.month_left,
            "budget_share_today": round(self.daily_share),
            "budget_left_today": max(0, round(self.today_left)),
        }
