"""The demo trickle (`make run`, `fakeplatforms --trickle`) adds comments on every network, and each
arrives in the queue through its channel's ordinary poll."""

import threading

import pytest
from django.core.management import call_command

from moderation.models import Channel, Item
from moderation.services.ingest import channel_poll
from moderation.services.seed import havebury_seed

pytestmark = pytest.mark.django_db
NETWORKS = ("x", "youtube", "linkedin")


def comment_counts(app):
    """Public comments per platform on the fake server (the demo account's own posts left out)."""
    meta = app.world.data["objects"].values()
    return {
        "facebook": sum(o["kind"] == "fb_comment" for o in meta),
        "instagram": sum(o["kind"] == "ig_comment" for o in meta),
        "x": sum(o.get("kind") == "tweet" and o["author_id"] != "1500000000000000000" for o in app.x.state["objects"].values()),
        "youtube": sum(o.get("kind") == "yt_comment" for o in app.youtube.state["objects"].values()),
        "linkedin": sum(o.get("kind") == "li_comment" for o in app.linkedin.state["objects"].values()),
    }  # fmt: skip


def test_the_trickle_adds_comments_on_all_five_networks(fake_platforms):
    app = fake_platforms.app
    app.seed("demo")
    before = comment_counts(app)
    app.start_trickle(0.005)
    grown: dict[str, int] = {}
    pause = threading.Event()
    for _ in range(400):
        grown = {p: n - before[p] for p, n in comment_counts(app).items()}
        if all(grown.values()):
            break
        pause.wait(0.01)
    app.stop()
    assert all(grown.values()), grown


@pytest.mark.parametrize("platform", NETWORKS)
def test_a_trickled_comment_reaches_the_queue_by_the_next_poll(fake_platforms, network_settings, platform):
    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)
    channel = Channel.objects.get(platform=platform)
    assert channel_poll(channel_id=channel.pk).status == "ok"
    known = set(Item.objects.filter(channel=channel).values_list("platform_id", flat=True))

    added = fake_platforms.app.add_network_comment(platform)
    result = channel_poll(channel_id=channel.pk)

    assert result.status == "ok", result.message
    new = Item.objects.filter(channel=channel).exclude(platform_id__in=known)
    assert [i.text for i in new] == [added["text"]]
    assert new.get().kind in ("comment", "reply", "mention")


def test_the_demo_polls_every_minute_day_and_night(fake_platforms, network_settings):
    from moderation.models import AuditEvent

    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)
    intervals = set(
        Channel.objects.values_list("platform", "poll_interval", "busy_poll_interval", "night_poll_interval")
    )
    assert intervals == {(p, 60, 30, 60) for p in ("facebook", "instagram", "x", "youtube", "linkedin")}
    assert AuditEvent.objects.filter(verb="channel.poll_intervals_set").count() == 5
