"""`python manage.py poll --channel <id-or-handle> [--once]`: pull new items and print what came in.

Without --once it polls again when the beat's fan-out would: the same schedule
(selectors.channel_schedules: faster while a thread is busy, slower at night and on low
headroom, backing off after failures, waiting out a rate limit), never faster than every
MIN_WAIT seconds.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from moderation.channels.base import ChannelUnavailable
from moderation.models import Channel
from moderation.selectors import channel_schedules, channels_by_ref
from moderation.services.ingest import PollResult, channel_poll

# A sweep part-way through is due at once, even while a worker's poll holds the channel's lock:
# this keeps the loop from asking again and again meanwhile.
MIN_WAIT = 5.0


def wait_before_next_poll(channel: Channel, *, now: datetime) -> tuple[float, str]:
    """Seconds until the fan-out would poll `channel` again, and why (its schedule's reason)."""
    schedule = channel_schedules([channel], now=now)[channel.pk]
    if schedule.waiting_for == "rate_limit":
        why = "Waiting for the platform's rate limit."
    elif schedule.waiting_for == "resume":
        why = "Resuming a poll that stopped part-way."
    else:
        why = schedule.plan.reason
    if schedule.next_at is None:  # off, not connected or needs reconnecting: the beat skips it
        return float(schedule.plan.seconds), "The channel is not polled now; checking again later."
    return max(MIN_WAIT, (schedule.next_at - now).total_seconds()), why


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
            seconds, why = wait_before_next_poll(channel, now=timezone.now())
            self.stdout.write(f"Next poll in {seconds:.0f} s: {why}")
            self.pause(seconds)  # Ctrl-C to stop

    def pause(self, seconds: float) -> None:
        threading.Event().wait(seconds)

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
