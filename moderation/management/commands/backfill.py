"""`python manage.py backfill --channel HANDLE --days 30`: read a channel's history, resumably.

Prints a progress line to stderr while it runs (pages, items, new ones, calls, rate, waits) and
a summary to stdout at the end. Ctrl-C stops after the page in hand is stored or dropped; the
same command resumes from the last stored page (moderation/services/ingest/backfill.py).
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from moderation.models import Backfill
from moderation.selectors import channels_by_ref
from moderation.services.ingest.backfill import (
    BackfillEvent,
    BackfillStopped,
    backfill_open,
    backfill_reach,
    channel_backfill,
)


class Progress:
    """One progress line: rewritten in place on a terminal, a line every few seconds otherwise."""

    def __init__(self, stream: TextIO, label: str, *, every: float = 5.0) -> None:
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.every = every
        self.started = time.monotonic()
        self.last = 0.0
        self.start_items = -1

    def line(self, backfill: Backfill, note: str = "") -> str:
        if self.start_items < 0:
            self.start_items = backfill.items_seen
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = (backfill.items_seen - self.start_items) / elapsed
        text = (
            f"{self.label}: {backfill.pages} pages, {backfill.items_seen} items ({backfill.items_new} new), "
            f"{backfill.api_calls} calls, {rate:.0f} items/s, waited {backfill.waited_seconds:.0f} s"
        )
        return text + (f" - {note}" if note else "")

    def show(self, backfill: Backfill, note: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        text = self.line(backfill, note)
        if self.tty:
            self.stream.write("\r\x1b[2K" + text[:200])
        elif force or note or now - self.last >= self.every:
            self.stream.write(text + "\n")
        else:
            return
        self.stream.flush()
        self.last = now

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Read a channel's history (posts and comments of the last N days) within the platform's limits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--channel", required=True, help="Channel id or handle, e.g. @Havebury.")
        parser.add_argument("--days", type=int, default=30, help="How far back, in days (1-365; default 30).")
        parser.add_argument(
            "--restart", action="store_true", help="Drop an unfinished backfill's checkpoint and start over."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = int(options["days"])
        if not 1 <= days <= 365:
            raise CommandError("--days must be between 1 and 365.")
        channels = channels_by_ref(str(options["channel"]))
        if len(channels) != 1:
            choices = ", ".join(f"{c.pk} ({c})" for c in channels) or "none"
            raise CommandError(f"{len(channels)} channels match {options['channel']!r}: {choices}.")
        channel = channels[0]
        if not channel.is_connected:
            raise CommandError(f"{channel} is not connected; connect it on the Channels page first.")
        backfill, resumed = backfill_open(channel=channel, days=days, restart=options["restart"])
        if resumed:
            self.stderr.write(
                f"Resuming the backfill of {channel} started {backfill.created_at:%Y-%m-%d %H:%M} "
                f"(since {backfill.since:%Y-%m-%d}, {backfill.pages} pages stored)."
                + (
                    f" It keeps its own --days {backfill.days}; --restart starts over."
                    if backfill.days != days
                    else ""
                )
            )
        self.stderr.write(f"{channel}: reading {backfill_reach(channel)}.")
        err: TextIO = getattr(self.stderr, "_out", sys.stderr)
        progress = Progress(err, f"backfill {channel.handle}")

        def on_event(event: BackfillEvent) -> None:
            if event.waiting:
                until = timezone.localtime() + timedelta(seconds=event.waiting)
                note = f"waiting {event.waiting:.0f} s, until {until:%H:%M:%S} ({event.reason[:120]})"
                progress.show(event.backfill, note, force=True)
            else:
                progress.show(event.backfill)

        try:
            backfill = channel_backfill(backfill_id=backfill.pk, on_event=on_event)
        except KeyboardInterrupt:
            progress.close()
            done = Backfill.objects.get(pk=backfill.pk)
            raise CommandError(
                f"Interrupted after {done.pages} stored pages; run the same command to resume.",
                returncode=130,
            ) from None
        except BackfillStopped as exc:
            progress.close()
            raise CommandError(str(exc)) from exc
        progress.show(backfill, force=True)
        progress.close()
        self.stdout.write(
            f"{channel}: backfill since {backfill.since:%Y-%m-%d} done: {backfill.pages} pages, "
            f"{backfill.items_seen} items read, {backfill.items_new} new, {backfill.api_calls} API calls, "
            f"{backfill.waited_seconds:.0f} s waiting on rate limits."
        )
