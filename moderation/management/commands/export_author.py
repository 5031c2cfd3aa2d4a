"""Subject access: write everything held about one author as JSON (docs/data-protection.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import ngettext

from moderation.errors import ModerationError
from moderation.models import Platform
from moderation.services.data_protection import author_export


class Command(BaseCommand):
    help = "Write everything held about one author as JSON (UK GDPR subject access request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", required=True, choices=Platform.values)
        parser.add_argument("--id", required=True, dest="platform_user_id", help="the platform's user id")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = author_export(platform=options["platform"], platform_user_id=options["platform_user_id"])
        except ModerationError as exc:
            raise CommandError(f"{exc.message} {exc.hint}") from exc
        text = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        if options["output"]:
            path = Path(options["output"])
            path.write_text(text + "\n")
            path.chmod(0o600)  # it is one person's data
            count = len(data["items"])
            wrote = ngettext(
                "Wrote %(count)d item about the author to %(path)s.",
                "Wrote %(count)d items about the author to %(path)s.",
                count,
            )
            self.stderr.write(wrote % {"count": count, "path": path})
        else:
            self.stdout.write(text)
