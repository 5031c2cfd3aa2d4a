"""The per-token throttle keeps two counters (this window's, the last one's), not a timestamp per
request: what it stores and costs stays the same however many requests a token makes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from moderation.api.throttles import ApiRateThrottle
from moderation.models import ApiToken


@pytest.fixture
def throttle(monkeypatch):
    monkeypatch.setattr(ApiRateThrottle, "THROTTLE_RATES", {"api": "10/min", "actions": "10/min"})
    clock = SimpleNamespace(now=6_000_000.0)  # the start of a one-minute window
    monkeypatch.setattr(ApiRateThrottle, "timer", lambda self: clock.now)
    cache.clear()
    return clock


def _asks(n: int, token_id: int = 7) -> list[bool]:
    request = SimpleNamespace(auth=ApiToken(pk=token_id), user=None)
    return [ApiRateThrottle().allow_request(request, None) for _ in range(n)]


def test_counts_in_the_window_then_refuses_with_a_wait(throttle):
    assert _asks(10) == [True] * 10
    refused = ApiRateThrottle()
    assert refused.allow_request(SimpleNamespace(auth=ApiToken(pk=7), user=None), None) is False
    assert 1 <= refused.wait() <= 60
    assert cache.get(f"throttle_api_token:7:{int(throttle.now // 60)}") == 10  # a counter, not a list
    assert _asks(1, token_id=8) == [True]  # another token has its own budget


def test_the_last_window_counts_for_the_part_still_inside_the_sliding_minute(throttle):
    assert _asks(10) == [True] * 10
    throttle.now += 60 + 30  # half-way through the next window: the last one's 10 count as 5
    assert _asks(6) == [True] * 5 + [False]
    throttle.now += 30  # the next window: 5 from the last one count fully, then less as it goes
    assert _asks(6) == [True] * 5 + [False]


def test_without_redis_the_same_window_is_counted_in_the_cache_it_has(throttle, monkeypatch):
    local = LocMemCache("throttle-test", {})
    monkeypatch.setattr(ApiRateThrottle, "cache", local)
    assert _asks(11) == [True] * 10 + [False]
    assert local.get(f"throttle_api_token:7:{int(throttle.now // 60)}") == 10
    throttle.now += 60 + 30
    assert _asks(6) == [True] * 5 + [False]
