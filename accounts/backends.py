"""Login throttling backend (django-axes) that tolerates sign-ins without a request."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses a locked-out username before any password is checked.

    Every sign-in form passes the request. Code that authenticates without one (the test
    client's login(), a shell) is not a guessing surface, so it is let through to the
    password check instead of raising, as django-axes would.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None
