"""Create an API token for a system: `manage.py create_api_token --name intranet --scopes read`.

The token is printed alone on the last line (so scripts can take `| tail -n 1`); only its
SHA-256 is stored, so it cannot be shown again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from moderation.errors import ModerationError
from moderation.services.api_tokens import api_token_create


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help='What will use it, e.g. "intranet".')
        parser.add_argument("--scopes", default="read", help="Comma-separated: read, act, admin.")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Days until it expires (default never)."
        )
        parser.add_argument(
            "--created-by",
            default="",
            help="Username of the Lead or Admin creating it (for the audit trail).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["created_by"]:
            actor = User.objects.filter(username=options["created_by"]).first()
            if actor is None:
                raise CommandError(f"No user called {options['created_by']!r}.")
        try:
            new = api_token_create(
                name=options["name"],
                scopes=options["scopes"],
                actor=actor,
                expires_in_days=options["expires_days"],
            )
        except ModerationError as exc:
            raise CommandError(f"{exc.message} {exc.hint}".strip()) from exc
        token = new.token
        expiry = f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else "never expires"
        self.stdout.write(
            f"Created API token {token.pk} '{token.name}' with scopes {', '.join(token.scopes)} ({expiry}), "
            f"acting as {token.user.username}. It is shown once; store it now:"
        )
        self.stdout.write(new.secret)
