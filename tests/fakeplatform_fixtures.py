"""The fake platform server in-process on 127.0.0.1 with an ephemeral port (docs/architecture.md).

tests/conftest.py loads this module as a pytest plugin, so every test can ask for
`fake_platforms` and `meta_settings`.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from fakeplatforms import (
    DEFAULT_APP_ID,
    DEFAULT_APP_SECRET,
    DEMO_IG_USER_ID,
    DEMO_PAGE_ID,
    DEMO_USER_ID,
    FakePlatforms,
)

VERIFY_TOKEN = "verify-me"


@dataclass
class FakeServer:
    app: FakePlatforms
    base_url: str

    @property
    def world(self):
        return self.app.world

    def graph_url(self, platform: str) -> str:
        return f"{self.base_url}/{platform}"

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = requests.request(method, f"{self.base_url}/_admin/{path}", json=body, timeout=5)
        assert response.status_code < 400, response.text
        return response.json()

    def page_token(self, *, lifetime: int | None = None) -> str:
        return self.world.issue_token(
            kind="page", user_id=DEMO_USER_ID, page_id=DEMO_PAGE_ID, lifetime=lifetime
        )

    def calls(self) -> int:
        return sum(len(v) for v in self.world.data["calls"].values())

    def fail_next(self, *failures: dict[str, Any]) -> None:
        self.admin("POST", "failures", {"failures": list(failures)})

    def add_post(self, platform: str = "facebook", text: str = "A post") -> dict[str, Any]:
        number = self.world.next_number()
        if platform == "facebook":
            obj = {"id": f"{DEMO_PAGE_ID}_{number}", "kind": "fb_post", "owner": DEMO_PAGE_ID}
        else:
            obj = {"id": str(17900000000000000 + number), "kind": "ig_media", "owner": DEMO_IG_USER_ID}
        obj.update({"text": text, "created": self.world.data["seq"] * 1.0 + 1_700_000_000})
        with self.world.changing() as d:
            d["objects"][obj["id"]] = obj
        return obj

    def polled_facebook_comment(self, *, text: str, sender: dict[str, str]) -> Any:
        """A connected Facebook channel whose new post has one comment by `sender`, polled once."""
        from moderation.services.ingest import channel_poll

        post = self.add_post(text="Our summer fun day is on Saturday")
        self.app.add_comment(platform="facebook", root_id=post["id"], parent_id="", text=text, sender=sender)
        channel = self.facebook_page_channel()
        channel_poll(channel_id=channel.pk)
        return channel

    def facebook_page_channel(self, **fields: Any) -> Any:
        """The demo Facebook page connected as a channel with a working page token; not polled yet."""
        from tests.factories import ChannelFactory

        return ChannelFactory(
            platform="facebook",
            handle="HaveburyHousing",
            account_id=DEMO_PAGE_ID,
            credentials={"access_token": self.page_token()},
            **fields,
        )

    def add_comments(
        self, root_id: str, n: int, platform: str = "facebook", parent_id: str = ""
    ) -> list[str]:
        return [
            self.app.add_comment(
                platform=platform,
                root_id=root_id,
                parent_id=parent_id,
                text=f"comment {i}",
                sender=(
                    {"id": f"7281930{i:06d}", "name": f"Tenant {i}"}
                    if platform == "facebook"
                    else {"id": f"1784140{i:06d}", "username": f"tenant{i}"}
                ),
            )["id"]
            for i in range(n)
        ]

    def add_people_comments(self, root_id: str, people: list[tuple[str, str]], id_base: str) -> list[str]:
        """Top-level Facebook comments on root_id, one per (name, text), each by its own person
        (platform user ids `id_base` + 0, 1, ...): a small queue written for one test."""
        return [
            self.app.add_comment(
                platform="facebook",
                root_id=root_id,
                parent_id="",
                text=text,
                sender={"id": f"{id_base}{n}", "name": name},
            )["id"]
            for n, (name, text) in enumerate(people)
        ]

    def add_mentions(self, n: int, platform: str = "facebook", on: str = "media") -> list[str]:
        """Mentions of the demo account by n different people; webhooks queued if capturing."""
        return [
            self.app.add_mention(
                platform=platform,
                on=on,
                text=f"mention {i}",
                sender=(
                    {"id": f"7281931{i:06d}", "name": f"Tagger {i}"}
                    if platform == "facebook"
                    else {"id": f"1784141{i:06d}", "username": f"tagger{i}"}
                ),
            )["id"]
            for i in range(n)
        ]

    def capture_webhooks(self) -> None:
        """Queue signed webhook bodies instead of sending them (the sender thread never starts)."""
        self.app.webhooks.url = "http://127.0.0.1:9/unused"

    def webhook_bodies(self) -> list[bytes]:
        return [body for _, body in self.webhook_deliveries()]

    def webhook_deliveries(self) -> list[tuple[str, bytes]]:
        """(platform, signed body) for each queued webhook, in order."""
        out = []
        while True:
            try:
                queued = self.app.webhooks.queue.get_nowait()
            except queue.Empty:
                return out
            if queued is not None:
                out.append(queued)


@pytest.fixture
def fake_platforms():
    app = FakePlatforms(rate_limit_per_hour=100_000)
    app.seed("empty")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeServer(app=app, base_url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        app.stop()


@pytest.fixture
def meta_settings(settings, fake_platforms):
    """Point the real Facebook/Instagram adapters and Facebook Login at the fake server."""
    settings.FACEBOOK_GRAPH_URL = fake_platforms.graph_url("facebook")
    settings.FACEBOOK_DIALOG_URL = fake_platforms.graph_url("facebook")
    settings.INSTAGRAM_GRAPH_URL = fake_platforms.graph_url("instagram")
    settings.FACEBOOK_APP_ID = DEFAULT_APP_ID
    settings.FACEBOOK_APP_SECRET = DEFAULT_APP_SECRET
    settings.INSTAGRAM_APP_SECRET = DEFAULT_APP_SECRET
    settings.META_WEBHOOK_VERIFY_TOKEN = VERIFY_TOKEN
    options = {"version": "v26.0", "timeout": (2.0, 5.0), "backoff_percent": 90.0, "max_posts": 25}
    connect = {
        "dialog_url": fake_platforms.graph_url("facebook"),
        "version": "v26.0",
        "app_id": DEFAULT_APP_ID,
        "app_secret": DEFAULT_APP_SECRET,
        "scopes": list(settings.FACEBOOK_SCOPES),
        "timeout": (2.0, 5.0),
    }
    webhook = {"app_secrets": [DEFAULT_APP_SECRET], "verify_token": VERIFY_TOKEN}
    settings.MODERATION_CHANNELS = {
        "facebook": {
            "ADAPTER": "moderation.channels.meta.facebook.FacebookPageAdapter",
            "CONNECTOR": "moderation.channels.meta.login.FacebookConnector",
            "WEBHOOK": "moderation.channels.meta.facebook.FacebookWebhook",
            "BASE_URL": fake_platforms.graph_url("facebook"),
            "OPTIONS": {**options, "comment_limit": 25},
            "CONNECT_OPTIONS": connect,
            "WEBHOOK_OPTIONS": webhook,
        },
        "instagram": {
            "ADAPTER": "moderation.channels.meta.instagram.InstagramAdapter",
            "CONNECTOR": "moderation.channels.meta.login.InstagramConnector",
            "WEBHOOK": "moderation.channels.meta.instagram.InstagramWebhook",
            "BASE_URL": fake_platforms.graph_url("instagram"),
            "OPTIONS": {**options, "comment_limit": 25},
            "CONNECT_OPTIONS": {**connect, "base_url": fake_platforms.graph_url("facebook")},
            "WEBHOOK_OPTIONS": webhook,
        },
    }
    return settings


@pytest.fixture
def network_settings(meta_settings, fake_platforms):
    """Also point the X, YouTube and LinkedIn adapters and connectors at the fake server."""
    url = fake_platforms.graph_url
    client = {"client_id": "havebury-demo", "client_secret": "havebury-demo", "timeout": (2.0, 5.0)}
    meta_settings.MODERATION_CHANNELS = {
        **meta_settings.MODERATION_CHANNELS,
        "x": {
            "ADAPTER": "moderation.channels.x.XAdapter",
            "CONNECTOR": "moderation.channels.x.connect.XConnector",
            "BASE_URL": url("x"),
            "OPTIONS": {"timeout": (2.0, 5.0), "monthly_read_budget": 15_000},
            "CONNECT_OPTIONS": {
                **client,
                "authorize_url": f"{url('x')}/i/oauth2/authorize",
                "token_url": f"{url('x')}/2/oauth2/token",
                "revoke_url": f"{url('x')}/2/oauth2/revoke",
            },
        },
        "youtube": {
            "ADAPTER": "moderation.channels.youtube.YouTubeAdapter",
            "CONNECTOR": "moderation.channels.youtube.connect.YouTubeConnector",
            "BASE_URL": url("youtube"),
            "OPTIONS": {"timeout": (2.0, 5.0), "daily_quota": 10_000, "action_reserve": 1_000},
            "CONNECT_OPTIONS": {
                **client,
                "authorize_url": f"{url('youtube')}/o/oauth2/v2/auth",
                "token_url": f"{url('youtube')}/token",
                "revoke_url": f"{url('youtube')}/revoke",
            },
        },
        "linkedin": {
            "ADAPTER": "moderation.channels.linkedin.LinkedInAdapter",
            "CONNECTOR": "moderation.channels.linkedin.connect.LinkedInConnector",
            "BASE_URL": url("linkedin"),
            "OPTIONS": {"timeout": (2.0, 5.0), "version": "202609"},
            "CONNECT_OPTIONS": {
                **client,
                "authorize_url": f"{url('linkedin')}/oauth/v2/authorization",
                "token_url": f"{url('linkedin')}/oauth/v2/accessToken",
                "revoke_url": f"{url('linkedin')}/oauth/v2/revoke",
            },
        },
    }
    return meta_settings


@pytest.fixture
def demo_polled(fake_platforms, network_settings):
    """The demo as `make run` has it (seeded fake, Havebury's policy, all five channels connected);
    call it with a platform to poll that channel into the queue and get the channel back."""
    from django.core.management import call_command

    from moderation.models import Channel
    from moderation.services.ingest import channel_poll
    from moderation.services.seed import havebury_seed

    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)

    def poll(platform):
        channel = Channel.objects.get(platform=platform)
        assert channel_poll(channel_id=channel.pk).status == "ok"
        return channel

    return poll
