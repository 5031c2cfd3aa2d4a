from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from moderation.schedule import SCHEDULE


class Command(BaseCommand):
    help = (
        "Create or update the Celery beat schedule from moderation/schedule.py. Safe to run on every deploy."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for periodic in SCHEDULE:
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=periodic.every_seconds, period=IntervalSchedule.SECONDS
                )
                _, created = PeriodicTask.objects.update_or_create(
                    name=periodic.name,
                    defaults={
                        "task": periodic.task,
                        "interval": interval,
                        "queue": periodic.queue,
                        "enabled": True,
                    },
                )
                verb = "created" if created else "updated"
                self.stdout.write(f"Periodic task '{periodic.name}' {verb}: every {periodic.every_seconds}s.")
