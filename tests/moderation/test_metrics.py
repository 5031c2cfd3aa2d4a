"""/metrics: queue depth, time to flag, actions sent and failed, platform headroom, from the rows."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from moderation.models import ActionStatus, ChannelHealth, ItemState, Priority
from tests.factories import ActionFactory, ChannelFactory, ItemFactory

pytestmark = pytest.mark.django_db


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_metrics_count_the_queue_actions_time_to_flag_and_headroom(client):
    now = timezone.now()
    channel = ChannelFactory(handle="page", health=ChannelHealth.OK, rate_limit_state={"percent": 72.5})
    for _ in range(3):
        ItemFactory(channel=channel, priority=Priority.URGENT, classified_at=now)
    ItemFactory(channel=channel, state=ItemState.RESOLVED, outcome="dismissed", classified_at=now)
    # Time to flag: created 1 s, 2 s and 30 s before classification.
    for seconds in (1, 2, 30):
        ItemFactory(
            channel=channel,
            created_on_platform=now - timedelta(seconds=seconds),
            classified_at=now,
            state=ItemState.RESOLVED,
            outcome="auto_cleared",
        )
    item = ItemFactory(channel=channel, classified_at=None, state=ItemState.RESOLVED, outcome="dismissed")
    ActionFactory(item=item, kind="hide", status=ActionStatus.SENT)
    ActionFactory(item=item, kind="hide", status=ActionStatus.FAILED)
    ActionFactory(item=item, kind="reply", status=ActionStatus.PENDING)

    m = scrape(client)

    assert m[("havebury_queue_depth", (("priority", "urgent"), ("state", "new")))] == 3
    assert m[("havebury_queue_depth", (("priority", "normal"), ("state", "new")))] == 0
    assert m[("havebury_items_unclassified", ())] == 1
    assert m[("havebury_actions_total", (("kind", "hide"), ("status", "sent")))] == 1
    assert m[("havebury_actions_total", (("kind", "hide"), ("status", "failed")))] == 1
    assert m[("havebury_actions_open", (("kind", "reply"), ("status", "pending")))] == 1
    assert (
        m[("havebury_platform_headroom_percent", (("channel", "facebook:page"), ("platform", "facebook")))]
        == 27.5
    )
    assert m[("havebury_channel_health", (("channel", "facebook:page"), ("health", "ok")))] == 1
    assert m[("havebury_channel_health", (("channel", "facebook:page"), ("health", "degraded")))] == 0
    assert m[("havebury_time_to_flag_seconds", (("quantile", "0.95"),))] == pytest.approx(30, abs=0.5)
    assert m[("havebury_time_to_flag_seconds", (("quantile", "0.5"),))] < 30
    assert m[("havebury_time_to_flag_items", ())] == 7  # the 4 above created "now" count too


def test_metrics_need_the_token_when_one_is_set(client):
    with override_settings(METRICS_TOKEN="scrape-me-please"):
        assert client.get("/metrics").status_code == 403
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
        assert scrape(client, HTTP_AUTHORIZATION="Bearer scrape-me-please")


def test_metrics_without_a_token_are_for_loopback_clients_only(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
