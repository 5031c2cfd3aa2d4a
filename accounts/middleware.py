"""Sends a signed-in officer who owes a second factor to verify (or enrol) before anything else."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import twofactor
from havebury_social.bearer import bearer_api_request

SEEN_KEY = "seen_at"  # last time the session's expiry was pushed on (epoch seconds)
PENDING_KEY = "two_factor_pending"  # "verify" or "enrol", set at sign-in, cleared once done
# Paths a half-signed-in officer may still reach: the two-factor pages, sign-out, static files.
_OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/accounts/login/", "/admin/logout/")


def two_factor_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Decide once, at sign-in, what this session owes, so requests after it need no query."""
    request.session[SEEN_KEY] = int(time.time())
    if twofactor.two_factor_enrolled(user):
        request.session[PENDING_KEY] = "verify"
    elif twofactor.two_factor_required(user):
        request.session[PENDING_KEY] = "enrol"
    else:
        request.session.pop(PENDING_KEY, None)


def two_factor_done(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


class TwoFactorRequiredMiddleware:
    """After the password, an enrolled officer must enter a code; an officer whose role
    requires two-factor and who has no authenticator yet must enrol one (first sign-in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if bearer_api_request(request):  # the token, not the session, authenticates it
            return self.get_response(request)
        pending = request.session.get(PENDING_KEY) if request.user.is_authenticated else None
        path = request.path
        if (
            pending
            and not request.user.is_verified()  # type: ignore[union-attr]
            and not path.startswith(_OPEN_PREFIXES)
            and not path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
        ):
            name = "two-factor-verify" if pending == "verify" else "two-factor-setup"
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class IdleSessionMiddleware:
    """Pushes a signed-in session's expiry on while it is used, so it ends SESSION_COOKIE_AGE
    (8 hours) after the last request. Writing the session on every request would cost a
    database write each time; every SESSION_REFRESH_SECONDS is close enough."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A bearer-token API call is not the session's activity (havebury_social/bearer.py).
        if not bearer_api_request(request) and request.user.is_authenticated:
            now = int(time.time())
            if now - int(request.session.get(SEEN_KEY, 0)) >= settings.SESSION_REFRESH_SECONDS:
                request.session[SEEN_KEY] = now  # marks it modified: saved with a new expiry
        return self.get_response(request)
