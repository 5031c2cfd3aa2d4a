"""Login lockout (django-axes): an account after repeated wrong passwords, an address only when it
tries many accounts (docs/security.md, "Lockout")."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Counts an address's failures as the number of accounts it failed on.

    django-axes sums every failure from an address, so ten typos on one account also locked
    every colleague behind the same address (an office's one public IP) for an hour, told them
    "this account is locked", and a password reset of their own account could not lift it.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        if list(settings.AXES_LOCKOUT_PARAMETERS) != ["username", "ip_address"]:
            return int(super().get_failures(request, credentials))
        by_username, by_address = self.get_user_attempts(request, credentials)
        wrong_passwords = by_username.aggregate(n=Sum("failures_since_start"))["n"] or 0
        accounts_tried = by_address.values("username").distinct().count()
        return int(max(wrong_passwords, accounts_tried))

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """A successful sign-in clears that account's count only.

        django-axes clears every attempt from the address too, so anyone with an account could
        sign in between guesses at a colleague's password and never be locked out.
        """
        if list(settings.AXES_LOCKOUT_PARAMETERS) != ["username", "ip_address"]:
            return int(super().reset_user_attempts(request, credentials))
        by_username = self.filter_user_attempts(request, credentials)[0]
        deleted, _ = by_username.delete()
        return int(deleted)
