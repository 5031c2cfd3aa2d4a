"""Rate limits per token (or per signed-in person), counted in the shared Redis cache.

DRF's UserRateThrottle keys by user; a token acts as its own service user, so each
token gets its own budget and a busy integration cannot use up a person's.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from moderation.models import ApiToken


class _PerPrincipal(SimpleRateThrottle):
    """Counted as a sliding window over two fixed windows: a counter per window in Redis, so a
    request costs the same however busy the token. DRF's own throttle keeps one timestamp per
    request of the last hour and re-writes the whole list every time (3,600 of them at the
    default rate, milliseconds a request)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        limit, duration = self.parse_rate(self.rate)
        if limit is None or duration is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // duration)
        current_key, previous_key = f"{self.key}:{window}", f"{self.key}:{window - 1}"
        # Read both windows, write the current one: two round trips, as DRF's throttle makes, and
        # no more atomic than it (two requests of one token at the same instant may count once).
        counts = self.cache.get_many([current_key, previous_key])
        current = int(counts.get(current_key, 0)) + 1
        previous = int(counts.get(previous_key, 0))
        left_of_window = 1 - (now / duration - window)
        # The previous window's requests count for the part of it still inside the sliding window.
        if previous * left_of_window + current > limit:
            self._wait = max(1.0, left_of_window * duration)
            return False
        self.cache.set(current_key, current, timeout=2 * duration)
        return True

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiRateThrottle(_PerPrincipal):
    scope = "api"


class ActionRateThrottle(_PerPrincipal):
    """A stricter budget for state changes, which reach the platforms."""

    scope = "actions"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
