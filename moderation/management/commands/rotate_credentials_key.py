"""`python manage.py rotate_credentials_key`: re-encrypt channel credentials with the first key.

Put the new Fernet key first in FIELD_ENCRYPTION_KEYS (keep the old one after it),
run this, then drop the old key. See docs/operations.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from moderation.fields import fernet
from moderation.models import Channel


class Command(BaseCommand):
    help = "Re-encrypt every channel's credentials with the first FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        fernet()  # fails loudly, with the fix, when no key is configured
        rotated = 0
        with transaction.atomic():
            rows = Channel.objects.select_for_update().exclude(credentials="").values_list("pk", flat=True)
            for pk in list(rows):
                channel = Channel.objects.get(pk=pk)  # decrypts with any listed key
                if not options["dry_run"]:
                    channel.save(update_fields=["credentials"])  # encrypts with the first key
                rotated += 1
        verb = "Would re-encrypt" if options["dry_run"] else "Re-encrypted"
        self.stdout.write(
            f"{verb} credentials of {rotated} channel(s) with the first FIELD_ENCRYPTION_KEYS key."
        )
