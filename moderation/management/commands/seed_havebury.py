from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from moderation.services.seed import havebury_seed


class Command(BaseCommand):
    help = (
        "Create the GP014 officers, the five Havebury channels and office hours. Safe to run twice. "
        "New users get no usable password unless --password or HAVEBURY_DEMO_PASSWORD is given; "
        "a set-password link is printed for each user without one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for users this run creates (demo only).")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="Where the app is served, for the links."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or settings.HAVEBURY_DEMO_PASSWORD or None
        result = havebury_seed(password=password)
        write = self.stdout.write
        write(
            f"Officers: {len(result.users_created)} created, {len(result.users_existing)} already there. "
            f"Channels created: {result.channels_created}. Office hours created: {result.office_hours_created}. "
            f"Canned replies created: {result.canned_created}."
        )
        for user in [*result.users_created, *result.users_existing]:
            roles = ", ".join(user.role_names) or "no role"
            if user.has_usable_password():
                write(f"  {user.username:<16} {user.get_full_name()} ({roles}): password set")
                continue
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            link = options["base_url"].rstrip("/") + reverse(
                "password_reset_confirm", kwargs={"uidb64": uid, "token": token}
            )
            write(f"  {user.username:<16} {user.get_full_name()} ({roles}): set a password at {link}")
