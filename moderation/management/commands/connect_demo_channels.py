"""Connect the seeded channels (all five networks) to the fake platforms, for the demo.

It walks the same OAuth path a Lead clicks through (consent screen → code →
token exchange → Page token), pressing "Continue" on the fake consent screen itself.
Refuses anything that is not a loopback fake platform.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.channels.base import ChannelError
from moderation.errors import ModerationError
from moderation.models import Channel
from moderation.services.channels import (
    channel_oauth_complete,
    channel_oauth_start,
    channel_set_poll_intervals,
)

REDIRECT_URI = "http://127.0.0.1:8000/channels/oauth/callback/"
# Platforms the fake server (fakeplatforms/) imitates: all five.
FAKE_PLATFORMS = ("facebook", "instagram", "x", "youtube", "linkedin")
DEMO_POLL_SECONDS = 60


class Command(BaseCommand):
    help = "Connect the seeded channels of all five networks to the local fake platforms (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fake-base", default="http://127.0.0.1:8900", help="The fake platforms' URL.")
        parser.add_argument("--wait", type=float, default=30.0, help="Seconds to wait for the fake server.")

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["fake_base"].rstrip("/")
        if urlsplit(base).hostname not in ("127.0.0.1", "localhost"):
            raise CommandError("connect_demo_channels only talks to a fake platform server on 127.0.0.1.")
        if not settings.FACEBOOK_DIALOG_URL.startswith(base):
            raise CommandError(f"FACEBOOK_DIALOG_URL must point at {base}/facebook for the demo.")
        _wait_for(base + "/_admin/state", seconds=options["wait"])
        # The channels whose platform the fake server imitates and whose connector is configured.
        for channel in Channel.objects.filter(platform__in=FAKE_PLATFORMS).order_by("platform"):
            try:
                auth = channel_oauth_start(
                    channel_id=channel.pk, actor=None, redirect_uri=REDIRECT_URI, state="demo"
                )
                response = requests.post(
                    auth.url, data={"decision": "allow"}, allow_redirects=False, timeout=10
                )
                code = parse_qs(urlsplit(response.headers.get("Location", "")).query).get("code", [""])[0]
                if not code:
                    raise CommandError(f"The fake consent screen gave no code (HTTP {response.status_code}).")
                # Stores the connection and enqueues the first poll on commit.
                _, account = channel_oauth_complete(
                    channel_id=channel.pk,
                    actor=None,
                    code=code,
                    redirect_uri=REDIRECT_URI,
                    code_verifier=auth.code_verifier,
                )
            except (ChannelError, ModerationError, requests.RequestException) as exc:
                raise CommandError(f"Connecting {channel} failed: {exc}") from exc
            # The demo trickle adds a comment somewhere every few seconds; polling every minute, day
            # and night, lets a newcomer watch X, YouTube and LinkedIn fill too (Settings > Poll intervals).
            channel_set_poll_intervals(
                channel_id=channel.pk, actor=None, normal=DEMO_POLL_SECONDS, busy=30, night=DEMO_POLL_SECONDS
            )
            self.stdout.write(
                f"Connected {channel} to {account.name} ({account.account_id}); first poll queued."
            )


def _wait_for(url: str, *, seconds: float) -> None:
    pause = threading.Event()
    for _ in range(int(seconds * 5)):
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            pause.wait(0.2)
    raise CommandError(f"The fake platform server did not answer at {url} within {seconds:.0f}s.")
