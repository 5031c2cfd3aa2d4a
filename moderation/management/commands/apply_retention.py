"""Run the retention task now (beat runs it daily; docs/data-protection.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from moderation.services.data_protection import retention_apply, retention_get


class Command(BaseCommand):
    help = "Anonymise raw payloads and resolved items older than the Lead-set retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = retention_apply()
        self.stdout.write(
            f"Retention {retention_get().months} months: {counts['payloads_cleared']} raw payloads cleared, "
            f"{counts['items_anonymised']} resolved items and {counts['authors_anonymised']} authors anonymised."
        )
