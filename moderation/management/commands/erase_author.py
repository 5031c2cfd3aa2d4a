"""Right to erasure: anonymise one author and all their items, unless a legal hold stands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.errors import ModerationError
from moderation.models import Platform
from moderation.services.data_protection import author_erase


class Command(BaseCommand):
    help = "Anonymise one author and everything they posted (UK GDPR erasure); refuses under a legal hold."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", required=True, choices=Platform.values)
        parser.add_argument("--id", required=True, dest="platform_user_id", help="the platform's user id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = author_erase(
                platform=options["platform"], platform_user_id=options["platform_user_id"], actor=None
            )
        except ModerationError as exc:
            raise CommandError(f"{exc.message} {exc.hint}") from exc
        self.stdout.write(
            f"Erased: {counts['items_anonymised']} items anonymised, author anonymised: "
            f"{'yes' if counts['authors_anonymised'] else 'no'}. Decisions stay in the audit trail."
        )
