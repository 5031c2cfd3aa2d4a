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
