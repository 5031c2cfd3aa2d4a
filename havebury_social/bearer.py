"""Browser-session middleware that steps aside for bearer-token API requests.

A request to /api/ with `Authorization: Bearer ...` is authenticated by its token alone: the
token authenticator is DRF's first (moderation/api/authentication.py), and a bad token is a 401,
never a fall-back to the session. `bearer_api_request` below decides that for the middleware AND
for the API's authenticators (the token's, and the session's, which refuses every such request),
so no request can skip the browser checks and then be authenticated through the session. The
browser extras below do nothing for such a request, yet were 11% of a cached list answer's
instructions (docs/benchmarks.md, "where a request's CPU goes"):

- flash messages (an API view never shows one);
- django-otp's wrapper of the session's user (the token's user replaces it in DRF);
- accounts.middleware's idle-session refresh and two-factor redirect, which concern the
  session's user, not the token's.

Security, CORS, CSRF, session, authentication, CSP, clickjacking and lockout middleware run
for every request as before; so do the token's authentication, scopes and throttle.
"""

from __future__ import annotations

from typing import Any

from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.http import HttpRequest
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

API_PREFIX = "/api/"


def bearer_credentials(request: HttpRequest) -> str | None:
    """What follows the Bearer scheme (any case) in the Authorization header of an /api/ request,
    stripped; None when the request is not a bearer API request. "" or a value with a space in it
    is malformed, and the token authenticator refuses it (401)."""
    if not request.path_info.startswith(API_PREFIX):
        return None
    header: str = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credentials = header.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def bearer_api_request(request: HttpRequest) -> bool:
    """The token alone decides this request: the middleware below skips the session's extras,
    the token authenticator takes it (or refuses it) and session authentication refuses it."""
    return bearer_credentials(request) is not None


class MessageMiddleware(DjangoMessageMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if not bearer_api_request(request):
            super().process_request(request)


class OTPMiddleware(DjangoOTPMiddleware):  # type: ignore[misc]  # django-otp ships no types
    def _install_lazy_accessors(self, request: Any) -> None:
        if not bearer_api_request(request):
            super()._install_lazy_accessors(request)
