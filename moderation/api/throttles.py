"""Rate limits per token (or per signed-in person), counted in the shared Redis cache.

DRF's UserRateThrottle keys by user; a token acts as its own service user, so each
token gets its own budget and a busy integration cannot use up a person's.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from moderation.models import ApiToken
from moderation.redis_client import redis_of, registered_script, run_script


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
        left_of_window = 1 - (now / duration - window)
        # DRF's `cache` is Django's proxy for the default cache; the backend behind it decides.
        backend = caches[DEFAULT_CACHE_ALIAS] if self.cache is default_cache else self.cache
        if isinstance(backend, RedisCache):
            along = read_along_keys(request, view)
            allowed, values = _redis_count(
                backend, current_key, previous_key, limit, left_of_window, 2 * duration, along
            )
            request.read_along = dict(zip(along, values, strict=True))  # type: ignore[attr-defined]
        else:
            allowed = self._count(current_key, previous_key, limit, left_of_window, 2 * duration)
        if not allowed:
            self._wait = max(1.0, left_of_window * duration)
        return allowed

    def _count(self, current_key: str, previous_key: str, limit: int, left: float, timeout: int) -> bool:
        # Other caches (no REDIS_URL): read both windows, write the current one; two round trips,
        # as DRF's throttle makes, and no more atomic than it.
        counts = self.cache.get_many([current_key, previous_key])
        current = int(counts.get(current_key, 0)) + 1
        previous = int(counts.get(previous_key, 0))
        # The previous window's requests count for the part of it still inside the sliding window.
        if previous * left + current > limit:
            return False
        self.cache.set(current_key, current, timeout=timeout)
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


def read_along_keys(request: Request, view: Any) -> list[str]:
    """Redis keys the view will read first thing (its `throttle_reads_along`), read in the throttle's
    round trip instead of one of their own; the values are left in `request.read_along`."""
    along = getattr(view, "throttle_reads_along", None)
    return list(along(request)) if along is not None else []


# _PerPrincipal._count as one Redis script: one round trip instead of two on every API request,
# and atomic. Counters stay plain integers under the cache's own keys (Django stores ints as is).
# Any further keys (raw Redis keys, read_along_keys) are only read, and returned after the verdict.
_COUNT_LUA = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0') + 1
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local out = {1}
if previous * tonumber(ARGV[2]) + current > tonumber(ARGV[1]) then
    out[1] = 0
else
    redis.call('SET', KEYS[1], current, 'EX', ARGV[3])
end
for i = 3, #KEYS do
    out[i - 1] = redis.call('GET', KEYS[i])
end
return out
"""


def _redis_count(
    cache: RedisCache,
    current_key: str,
    previous_key: str,
    limit: int,
    left: float,
    timeout: int,
    along: list[str],
) -> tuple[bool, list[bytes | None]]:
    keys = [cache.make_and_validate_key(current_key), cache.make_and_validate_key(previous_key), *along]
    client = redis_of(cache)  # kept per cache instance: Django builds a new client per call
    script = registered_script(client, _COUNT_LUA)
    verdict, *values = run_script(client, script, keys, [limit, repr(left), timeout])
    # A missing key comes back as Lua's false, which Redis answers as nil (None).
    return bool(verdict), values


class ApiRateThrottle(_PerPrincipal):
    scope = "api"


class ActionRateThrottle(_PerPrincipal):
    """A stricter budget for state changes, which reach the platforms."""

    scope = "actions"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
