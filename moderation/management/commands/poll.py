"""`python manage.py poll --channel <id-or-handle> [--once]`: pull new items and print what came in."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.channels.base import ChannelUnavailable
from moderation.models import Channel
from moderation.selectors import channels_by_ref
from moderation.services.ingest import PollResult, channel_poll


class Command(BaseCommand):
    help = "Poll one channel through its adapter and store what it fetched."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--channel", required=True, help="Channel id, or handle such as @Havebury or HaveburyHousing."
        )
        parser.add_argument("--once", action="store_true", help="One sweep, then exit.")
        parser.add_argument("--max-pages", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        ref = str(options["channel"])
        channels = channels_by_ref(ref)
        if len(channels) != 1:
            choices = ", ".join(f"{c.pk} ({c})" for c in channels) or "none"
            raise CommandError(
                f"{len(channels)} channels match {ref!r}: {choices}. Give the channel id instead."
            )
        channel = channels[0]
        stop = threading.Event()
        while True:
            try:
                result = channel_poll(channel_id=channel.pk, max_pages=options["max_pages"])
            except ChannelUnavailable as exc:
                self.stderr.write(f"{channel}: platform unavailable, try again shortly: {exc}")
                result = None
            if result is not None:
                self.report(channel, result)
            if options["once"]:
                return
            channel.refresh_from_db()
            stop.wait(channel.poll_interval)  # Ctrl-C to stop

    def report(self, channel: Channel, result: PollResult) -> None:
        self.stdout.write(
            f"{channel} ({result.status}): {result.pages} page(s), {result.api_calls} API call(s)"
            + (f" - {result.message}" if result.message else "")
        )
        for kind, counts in sorted(result.counts.items()):
            self.stdout.write(
                f"  {kind:8} new {counts['new']:5}  updated {counts['updated']:5}  unchanged {counts['unchanged']:5}"
            )
        if result.deleted or result.skipped_entries:
            self.stdout.write(
                f"  deleted on platform {result.deleted}; entries without an id {result.skipped_entries}"
            )
